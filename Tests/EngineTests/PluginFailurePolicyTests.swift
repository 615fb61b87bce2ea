import Engine
import Synchronization
import Testing

/// One policy for plugin failures: retried after growing waits, then given up; a failure of the
/// state is never retried.
@Suite struct PluginFailurePolicyTests {
    static let failure = EvaluationError.plugin(PluginFailure(rule: "shop/r", kind: "lookup", message: "service down"))

    /// The waits a policy made.
    final class Waits: Sendable {
        let list = Mutex<[Duration]>([])
    }

    /// A policy that records its waits instead of sleeping.
    static func recording() -> (PluginFailurePolicy, Waits) {
        let waits = Waits()
        let policy = PluginFailurePolicy(attempts: 3, firstDelay: .milliseconds(20)) { delay in
            waits.list.withLock { $0.append(delay) }
        }
        return (policy, waits)
    }

    @Test func aPassingFailureIsRetriedAfterAWait() throws {
        let (policy, waits) = Self.recording()
        var calls: [Int] = []
        let value = try policy.evaluate { attempt throws(EvaluationError) -> String in
            calls.append(attempt)
            if attempt < 3 { throw Self.failure }
            return "decided"
        }
        #expect(value == "decided")
        #expect(calls == [1, 2, 3])
        #expect(waits.list.withLock { $0 } == [.milliseconds(20), .milliseconds(40)])
    }

    @Test func aLastingFailureIsGivenUpAfterEveryAttempt() {
        let (policy, waits) = Self.recording()
        var calls = 0
        #expect(throws: EvaluationError.self) {
            try policy.evaluate { _ throws(EvaluationError) -> Int in
                calls += 1
                throw Self.failure
            }
        }
        #expect(calls == 3)
        #expect(waits.list.withLock { $0.count } == 2)
    }

    @Test func aStateFailureIsNotRetried() {
        let (policy, waits) = Self.recording()
        var calls = 0
        #expect(throws: EvaluationError.self) {
            try policy.evaluate { _ throws(EvaluationError) -> Int in
                calls += 1
                throw EvaluationError.state(PluginFailure(rule: "-", kind: "sqlite", message: "disk I/O error"))
            }
        }
        #expect(calls == 1)
        #expect(waits.list.withLock { $0.isEmpty })
    }
}
