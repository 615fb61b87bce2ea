import BuiltinPlugins
import Engine
import Store
import Testing

/// A batch whose state cannot be read or written stops with the database's error and commits
/// nothing: no decision, no dead event, no state, the queue where it was. Once the database is
/// whole again, the same batch applies.
@Suite struct StoreStateFailureTests {
    static func rules() throws -> RuleSet {
        let outcome = RuleLoader(registry: .builtin).load(sources: [
            RuleSource(
                relativePath: "partners/shop.yaml", displayPath: "shop.yaml",
                text: """
                    partner: shop
                    match: { mid: [M1] }
                    rules:
                      - id: base
                        reward: { percentage: 10% }
                        limits:
                          - { per: account, period: month, max: 5.00 }
                      - id: welcome
                        when: [{ first_purchase: true }]
                        reward: { flat: 1.00 }
                        limits:
                          - { per: all, period: lifetime, max: 1000.00 }
                    """)
        ])
        return try #require(outcome.rules, "\(outcome.diagnostics)")
    }

    static func event(_ line: String) -> IncomingEvent {
        IncomingEvent(event: try! EventParser.parse(line: Array(line.utf8)).get(), origin: EventOrigin())
    }

    static let events = [
        event(
            #"{"id":"r0","type":"refund","original_id":"p9","occurred_at":"2026-11-03T10:00:00Z","amount":"1.00","currency":"EUR"}"#
        ),
        event(
            #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"M1"}}"#
        ),
        event(
            #"{"id":"r1","type":"refund","original_id":"p1","occurred_at":"2026-11-03T10:00:00Z","amount":"5.00","currency":"EUR"}"#
        ),
        event(
            #"{"id":"p2","account":"a1","occurred_at":"2026-11-04T10:00:00Z","amount":"80.00","currency":"EUR","merchant":{"mid":"M1"}}"#
        ),
    ]

    static let now = Timestamp(epochSeconds: 1_800_000_000)

    func count(_ sql: String, in test: TestStore) async throws -> Int {
        Int(try await test.texts("SELECT COUNT(*) \(sql)").first ?? "") ?? -1
    }

    /// How each backend names a table that is not there.
    static func missingTable(_ table: String, on backend: StoreBackend) -> String {
        backend == .sqlite ? "no such table: \(table)" : "relation \"\(table)\" does not exist"
    }

    @Test(arguments: StoreBackend.available, ["accepted", "usage", "histories", "payments", "orphans"])
    func aBatchWhoseStateFailsCommitsNothingAndAppliesOnceTheStateIsBack(backend: StoreBackend, table: String) async throws {
        let test = try await TestStore(backend)
        defer { test.remove() }
        let store = test.store
        let rules = try StoreStateFailureTests.rules()
        try await store.recordRulesVersion(rules.version, files: [], now: StoreStateFailureTests.now)
        _ = try await store.enqueue(StoreStateFailureTests.events, now: StoreStateFailureTests.now)
        let evaluator = BatchEvaluator(evaluator: Evaluator(rules: rules, explain: true), workers: 2)
        func processBatch() async throws -> BatchSummary {
            try await store.processBatch(
                limit: 10, evaluator: evaluator, rulesVersion: rules.version, confirmAfter: 0, now: StoreStateFailureTests.now)
        }

        try await test.execute("ALTER TABLE \(table) RENAME TO \(table)_away")
        await #expect { try await processBatch() } throws: { error in
            "\(error)".contains(StoreStateFailureTests.missingTable(table, on: backend))
        }
        #expect(try await store.queueDepth() == StoreStateFailureTests.events.count)
        for other in ["decisions", "dead", "ledger", "payments", "usage", "histories", "orphans"]
        where other != table {
            #expect(try await count("FROM \(other)", in: test) == 0, "\(other)")
        }
        if table != "accepted" {
            #expect(try await count("FROM accepted WHERE seen_kind IS NOT NULL", in: test) == 0, "no id marked seen")
        }

        try await test.execute("ALTER TABLE \(table)_away RENAME TO \(table)")
        let summary = try await processBatch()
        #expect(summary.claimed == StoreStateFailureTests.events.count)
        #expect(summary.dead == 0)
        #expect(summary.statuses == ["orphan": 1, "rewarded": 2, "clawback": 1])
        #expect(try await store.queueDepth() == 0)
    }

    /// What a failed read would have been taken for, had it been swallowed: a refund's payment
    /// "unknown" (an orphan), a payment's waiting refunds "none" (never released).
    @Test(arguments: StoreBackend.available) func aFailedReadIsNeverTakenForAMissingRow(backend: StoreBackend) async throws {
        let test = try await TestStore(backend)
        defer { test.remove() }
        let store = test.store
        let rules = try StoreStateFailureTests.rules()
        try await store.recordRulesVersion(rules.version, files: [], now: StoreStateFailureTests.now)
        let evaluator = BatchEvaluator(evaluator: Evaluator(rules: rules), workers: 1)
        func process(_ lines: [String], breaking table: String? = nil) async throws -> BatchSummary {
            _ = try await store.enqueue(lines.map(StoreStateFailureTests.event), now: StoreStateFailureTests.now)
            if let table {
                try await test.execute("ALTER TABLE \(table) RENAME TO \(table)_away")
                await #expect(throws: (any Error).self, "\(table)") {
                    try await store.processBatch(
                        limit: 10, evaluator: evaluator, rulesVersion: rules.version, confirmAfter: 0,
                        now: StoreStateFailureTests.now)
                }
                try await test.execute("ALTER TABLE \(table)_away RENAME TO \(table)")
            }
            return try await store.processBatch(
                limit: 10, evaluator: evaluator, rulesVersion: rules.version, confirmAfter: 0, now: StoreStateFailureTests.now)
        }

        let first = try await process([
            #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"M1"}}"#,
            #"{"id":"r5","type":"refund","original_id":"p5","occurred_at":"2026-11-03T10:00:00Z","amount":"1.00","currency":"EUR"}"#,
        ])
        #expect(first.statuses == ["rewarded": 1, "orphan": 1])
        let refund = try await process(
            [
                #"{"id":"r1","type":"refund","original_id":"p1","occurred_at":"2026-11-03T10:00:00Z","amount":"5.00","currency":"EUR"}"#
            ],
            breaking: "payments")
        #expect(refund.statuses == ["clawback": 1], "p1 is known: r1 is no orphan")
        let payment = try await process(
            [
                #"{"id":"p5","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"M1"}}"#
            ],
            breaking: "orphans")
        #expect(payment.statuses == ["rewarded": 1, "clawback": 1], "r5 waited for p5: it is applied right after it")
    }
}
