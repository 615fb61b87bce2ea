import BuiltinPlugins
import Engine
import PluginTestSupport
import Testing

/// An evaluation state that fails one kind of operation on demand, over an in-memory state: a
/// database that went away in the middle of a batch.
final class FailingState: EvaluationState {
    enum Operation: String, CaseIterable, Sendable {
        case seenEvent, recordSeen, payment, savePayment, usage, addUsage, historySnapshot, addOrphan, takeOrphans
        case earlierPaymentCount, spend, recordPurchase
    }

    struct Down: Error, Equatable, CustomStringConvertible {
        let operation: Operation
        var description: String { "disk I/O error in \(operation.rawValue)" }
    }

    let base = InMemoryState()
    /// The operation that throws `Down`, if any.
    var failing: Operation?
    /// The operations called so far.
    private(set) var called: Set<Operation> = []

    private func call(_ operation: Operation) throws {
        called.insert(operation)
        if operation == failing { throw Down(operation: operation) }
    }

    func seenEvent(_ id: String) throws -> SeenEvent? {
        try call(.seenEvent)
        return base.seenEvent(id)
    }

    func recordSeen(_ id: String, _ seen: SeenEvent) throws {
        try call(.recordSeen)
        base.recordSeen(id, seen)
    }

    func payment(_ id: String) throws -> PaymentRecord? {
        try call(.payment)
        return base.payment(id)
    }

    func savePayment(_ record: PaymentRecord) throws {
        try call(.savePayment)
        base.savePayment(record)
    }

    func usage(_ key: UsageKey) throws -> Usage {
        try call(.usage)
        return base.usage(key)
    }

    func addUsage(_ key: UsageKey, amount: Int, count: Int) throws {
        try call(.addUsage)
        base.addUsage(key, amount: amount, count: count)
    }

    func historySnapshot(accounts: Set<String>, includingSpend: Bool) throws -> HistorySnapshot {
        try call(.historySnapshot)
        return base.historySnapshot(accounts: accounts, includingSpend: includingSpend)
    }

    func addOrphan(_ orphan: Orphan) throws {
        try call(.addOrphan)
        base.addOrphan(orphan)
    }

    func takeOrphans(waitingFor paymentID: String) throws -> [Orphan] {
        try call(.takeOrphans)
        return base.takeOrphans(waitingFor: paymentID)
    }

    func earlierPaymentCount(account: String, at partner: String?) throws -> Int {
        try call(.earlierPaymentCount)
        return try base.earlierPaymentCount(account: account, at: partner)
    }

    func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) throws -> Int {
        try call(.spend)
        return try base.spend(account: account, at: partner, currency: currency, days: days)
    }

    func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, day: Int) throws {
        try call(.recordPurchase)
        base.recordPurchase(account: account, at: partner, currency: currency, amount: amount, day: day)
    }
}

/// A condition that reads the account's history and hides a failed read: it swallows the error
/// (`swallow`) or throws its own instead.
struct HistoryHidingCondition: ConditionPlugin {
    static let kind = "history_hiding"
    static let summary = "reads the history, hiding its errors"
    static let example = "history_hiding: swallow"
    static let configurationSchema: JSONValue = .object([])

    struct LookupFailed: Error {}

    let swallow: Bool

    init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        swallow = try configuration.string() == "swallow"
    }

    func holds(for payment: Payment) throws -> Bool {
        if swallow { return ((try? payment.earlierPaymentCount) ?? 0) == 0 }
        do {
            return try payment.earlierPaymentCount == 0
        } catch {
            throw LookupFailed()
        }
    }

    func explainFailure(for payment: Payment) -> String { "" }
}

/// A failure of the evaluation state stops evaluation with the state's error, at once, and is
/// never taken for a plugin failure; a plugin failure still only sets its event aside.
@Suite struct EvaluationStateFailureTests {
    static func rules(_ partner: String) throws -> RuleSet {
        var registry = PluginRegistry.builtin
        registry.register(HistoryHidingCondition.self)
        registry.register(FlakyCondition.self)
        let outcome = RuleLoader(registry: registry).load(sources: [
            RuleSource(
                relativePath: "program.yaml", displayPath: "program.yaml",
                text: "limits:\n  - { per: account, period: month, max: 50.00 }\n"),
            RuleSource(relativePath: "partners/shop.yaml", displayPath: "partners/shop.yaml", text: partner),
        ])
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.description))")
        return try #require(outcome.rules)
    }

    /// Rules that read every part of the state: rule, partner and programme limits, the
    /// account's payment count and spend.
    static let everyRead = """
        partner: shop
        match: { mid: [M1] }
        limits:
          - { per: account, period: month, max: 40.00 }
        rules:
          - id: base
            reward: { percentage: 10% }
            limits:
              - { per: account, period: month, max: 30.00 }
          - id: welcome
            when: [{ first_purchase: true }]
            reward: { flat: 1.00 }
          - id: loyal
            reward: { tiered: { by: spend, period: month, tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }] } }
        """

    static func input(_ line: String) throws -> EventInput {
        .event(try EventParser.parse(line: Array(line.utf8)).get(), EventOrigin())
    }

    /// An orphan refund, its payment (which releases it), a second refund and a duplicate.
    static func stream() throws -> [EventInput] {
        try [
            #"{"id":"r0","type":"refund","original_id":"p1","occurred_at":"2026-11-03T10:00:00Z","amount":"10.00","currency":"EUR"}"#,
            #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"120.00","currency":"EUR","merchant":{"mid":"M1"}}"#,
            #"{"id":"p2","account":"a1","occurred_at":"2026-11-04T10:00:00Z","amount":"6.66","currency":"EUR","merchant":{"mid":"M1"}}"#,
            #"{"id":"v1","type":"reversal","original_id":"p1","occurred_at":"2026-11-05T10:00:00Z"}"#,
            #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"120.00","currency":"EUR","merchant":{"mid":"M1"}}"#,
        ].map(input)
    }

    @Test func theStreamCallsEveryOperationOfTheState() throws {
        let state = FailingState()
        let evaluator = Evaluator(rules: try EvaluationStateFailureTests.rules(EvaluationStateFailureTests.everyRead))
        for input in try EvaluationStateFailureTests.stream() { _ = try evaluator.process(input, state: state) }
        _ = try BatchEvaluator(evaluator: evaluator, workers: 2).evaluate([], state: state)
        #expect(state.called == Set(FailingState.Operation.allCases))
    }

    @Test(arguments: FailingState.Operation.allCases.filter { $0 != .historySnapshot })
    func anyFailingOperationStopsTheEvaluatorWithTheStatesError(operation: FailingState.Operation) throws {
        let state = FailingState()
        state.failing = operation
        let evaluator = Evaluator(rules: try EvaluationStateFailureTests.rules(EvaluationStateFailureTests.everyRead))
        var failure: EvaluationError?
        for input in try EvaluationStateFailureTests.stream() {
            do throws(EvaluationError) {
                _ = try evaluator.process(input, state: state)
            } catch {
                failure = error
                break
            }
        }
        guard case .state(let error) = failure else {
            Issue.record("expected the state's failure, got \(String(describing: failure))")
            return
        }
        #expect(error as? FailingState.Down == FailingState.Down(operation: operation))
    }

    @Test(arguments: ["swallow", "wrap"])
    func aHistoryFailureThatThePluginHidesIsStillTheStates(hiding: String) throws {
        let rules = try EvaluationStateFailureTests.rules(
            "partner: shop\nmatch: { mid: [M1] }\nrules:\n  - { id: r, when: [{ history_hiding: \(hiding) }], reward: { flat: 1.00 } }\n"
        )
        let state = FailingState()
        state.failing = .earlierPaymentCount
        let payment = try EvaluationStateFailureTests.stream()[1]
        do throws(EvaluationError) {
            let decisions = try Evaluator(rules: rules).process(payment, state: state)
            Issue.record("expected the state's failure, got \(decisions.map { $0.jsonLine() })")
        } catch {
            guard case .state(let error) = error else {
                Issue.record("a state failure was taken for the plugin's: \(error)")
                return
            }
            #expect(error is FailingState.Down)
        }
        #expect(state.base.seenEvent("p1") == nil, "nothing was recorded")
    }

    @Test func aStateFailureStopsTheBatchWhileAPluginFailureSetsOnlyItsEventAside() throws {
        let rules = try EvaluationStateFailureTests.rules(
            "partner: shop\nmatch: { mid: [M1] }\nrules:\n  - { id: r, when: [{ flaky: true }], reward: { percentage: 10% } }\n"
        )
        let queued = try EvaluationStateFailureTests.stream().enumerated().map {
            QueuedEvent(sequence: Int64($0.offset), input: $0.element)
        }
        let batchEvaluator = BatchEvaluator(evaluator: Evaluator(rules: rules), workers: 2)

        // A plugin failing on p2 (6.66): p2 is dead, every other event is decided.
        let outcomes = try batchEvaluator.evaluate(queued, state: FailingState())
        #expect(outcomes.count == queued.count)
        guard case .dead(let failure) = outcomes[2] else {
            Issue.record("p2 should be dead: \(outcomes[2])")
            return
        }
        #expect(failure.description == "[shop/r] flaky: lookup service unavailable")
        #expect(
            outcomes.enumerated().allSatisfy { index, outcome in
                if case .decided = outcome { return index != 2 }
                return index == 2
            })

        // The state failing: no outcome at all, the state's error instead.
        for operation in [FailingState.Operation.historySnapshot, .seenEvent, .usage, .savePayment, .takeOrphans] {
            let state = FailingState()
            state.failing = operation
            #expect(throws: FailingState.Down(operation: operation), "\(operation)") {
                try batchEvaluator.evaluate(queued, state: state)
            }
        }
    }
}
