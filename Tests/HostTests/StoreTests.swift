import BuiltinPlugins
import Engine
import Foundation
import PluginTestSupport
import Server
import Store
import Testing
import Workload

/// The store on a temporary file: batches, dead events, confirmation and the credits feed.
@Suite struct StoreTests {
    static func rules(flaky: Bool = false) throws -> RuleSet {
        var registry = PluginRegistry.builtin
        registry.register(FlakyCondition.self)
        let text = """
            partner: shop
            match: { mid: [M1] }
            rules:
              - id: base
            \(flaky ? "    when: [{ flaky: true }]\n" : "")    reward: { percentage: 10% }
            """
        let outcome = RuleLoader(registry: registry).load(sources: [
            RuleSource(relativePath: "program.yaml", displayPath: "program.yaml", text: "confirm_after: 30d\n"),
            RuleSource(relativePath: "partners/shop.yaml", displayPath: "shop.yaml", text: text),
        ])
        return try #require(outcome.rules, "\(outcome.diagnostics)")
    }

    static func payment(_ id: String, _ amount: String, day: Int = 2) -> IncomingEvent {
        let line =
            #"{"id":"\#(id)","account":"a1","occurred_at":"2026-11-\#(day < 10 ? "0" : "")\#(day)T10:00:00Z","amount":"\#(amount)","currency":"EUR","merchant":{"mid":"M1"}}"#
        return IncomingEvent(event: try! EventParser.parse(line: Array(line.utf8)).get(), origin: EventOrigin())
    }

    static func refund(_ id: String, of original: String, _ amount: String, day: Int) -> IncomingEvent {
        let line =
            #"{"id":"\#(id)","type":"refund","original_id":"\#(original)","occurred_at":"2026-11-\#(day < 10 ? "0" : "")\#(day)T10:00:00Z","amount":"\#(amount)","currency":"EUR"}"#
        return IncomingEvent(event: try! EventParser.parse(line: Array(line.utf8)).get(), origin: EventOrigin())
    }

    static let now = Timestamp(epochSeconds: 1_800_000_000)

    func drain(_ store: any Storage, _ rules: RuleSet) async throws -> SchedulerDriver.Totals {
        try await store.recordRulesVersion(rules.version, files: [], now: StoreTests.now)
        return try await SchedulerDriver(store: store, workers: 2, logger: .init(label: "test")).run(
            SchedulerStateMachine(mode: .drain, batchLimit: 3), environment: .init(rules: { rules }, now: { StoreTests.now }))
    }

    @Test(arguments: StoreBackend.available) func aFailingPluginSetsItsEventAsideAndTheOthersFlow(backend: StoreBackend)
        async throws
    {
        let test = try await TestStore(backend)
        defer { test.remove() }
        let store = test.store
        let rules = try StoreTests.rules(flaky: true)
        _ = try await store.enqueue(
            groups: [[StoreTests.payment("p1", "10.00"), StoreTests.payment("p2", "6.66"), StoreTests.payment("p3", "20.00")]],
            now: StoreTests.now)
        let totals = try await drain(store, rules)
        #expect(totals.dead == 1)
        #expect(try await store.deadEvents().map(\.eventID) == ["p2"])
        #expect(try await store.deadEvents().first?.error.contains("[shop/base] flaky: lookup service unavailable") == true)
        var lines: [String] = []
        try store.forEachDecision { lines.append($0.json) }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { !$0.contains(#""event":"p2""#) })

        // Once the plugin works again, the retried event is processed like any other.
        #expect(try await store.retryDead([], now: StoreTests.now) == 1)
        #expect(try await store.deadEvents().isEmpty)
        #expect(try await drain(store, try StoreTests.rules(flaky: false)).events == 1)
        lines = []
        try store.forEachDecision { lines.append($0.json) }
        #expect(lines.last?.contains(#""event":"p2","type":"payment","account":"a1","status":"rewarded""#) == true)
    }

    /// The queue marks the first event of each id, and a batch that skips looking those ids up
    /// still finds every repeat, in the same batch or after it.
    @Test(arguments: StoreBackend.available) func theQueueMarksTheFirstEventOfEachIDAndRepeatsStayDuplicates(
        backend: StoreBackend
    ) async throws {
        let test = try await TestStore(backend)
        defer { test.remove() }
        let store = test.store
        let rules = try StoreTests.rules()
        _ = try await store.enqueue(
            groups: [[StoreTests.payment("p1", "10.00"), StoreTests.payment("p2", "6.00"), StoreTests.payment("p4", "1.00")]],
            now: StoreTests.now)
        _ = try await store.enqueue(
            groups: [[StoreTests.payment("p1", "10.00"), StoreTests.payment("p3", "8.00"), StoreTests.payment("p3", "8.00")]],
            now: StoreTests.now)
        let claimed = try await (store as? any BatchStore)?.claimBatch(after: nil, limit: 10) ?? []
        #expect(claimed.map(\.isFirstOfItsID) == [true, true, true, false, true, false])

        // Batches of 3: p1 repeats in the next batch, p3 in its own.
        let totals = try await drain(store, rules)
        #expect(totals.events == 6)
        var statuses: [String] = []
        try store.forEachDecision { decision in
            statuses.append(decision.json.contains(#""status":"duplicate""#) ? "duplicate" : "other")
        }
        #expect(statuses == ["other", "other", "other", "duplicate", "other", "duplicate"])
    }

    @Test(arguments: StoreBackend.available) func linesConfirmAfterTheirDelayAndReachTheCreditsFeedOnce(backend: StoreBackend)
        async throws
    {
        let test = try await TestStore(backend)
        defer { test.remove() }
        let store = test.store
        let rules = try StoreTests.rules()
        _ = try await store.enqueue(
            groups: [[StoreTests.payment("p1", "10.00", day: 2), StoreTests.payment("p2", "20.00", day: 10)]],
            now: StoreTests.now)
        _ = try await drain(store, rules)
        // 30 days after 2 Nov 10:00Z: p1's line; p2's on 10 Dec. (Clawbacks: CreditsNettingTests.)
        #expect(try await store.confirmDue(now: try Timestamp.parse("2026-12-02T09:59:59Z").get()) == 0)
        #expect(try await store.confirmDue(now: try Timestamp.parse("2026-12-02T10:00:00Z").get()) == 1)
        #expect(try await store.confirmDue(now: try Timestamp.parse("2026-12-03T10:00:00Z").get()) == 0, "nothing twice")
        #expect(try await store.confirmDue(now: try Timestamp.parse("2027-01-01T00:00:00Z").get()) == 1)
        let feed = try await store.credits(after: 0, limit: 100)
        #expect(feed.map(\.eventID) == ["p1", "p2"])
        #expect(feed.map(\.amount) == [100, 200])
        #expect(feed.map(\.cursor) == feed.map(\.cursor).sorted() && Set(feed.map(\.cursor)).count == 2)
        #expect(try await store.credits(after: feed[0].cursor, limit: 100).map(\.eventID) == ["p2"])
    }

    @Test func sequentialRunsGiveAFailingPluginsEventADeadDecisionAfterItsRetries() throws {
        let evaluator = Evaluator(rules: try StoreTests.rules(flaky: true))
        let state = InMemoryState()
        let policy = PluginFailurePolicy(attempts: 3, firstDelay: .milliseconds(1)) { _ in }
        let failing = StoreTests.payment("p2", "6.66")
        let dead = try evaluator.decisions(for: .event(failing.event, failing.origin), state: state, pluginFailures: policy)
        #expect(dead.map(\.status) == [.dead])
        let passing = StoreTests.payment("p3", "20.00")
        let decided = try evaluator.decisions(for: .event(passing.event, passing.origin), state: state, pluginFailures: policy)
        #expect(decided.map(\.status) == [.rewarded], "the dead event changed nothing and the next one flows")
    }
}
