import Engine
import Foundation
import Store
import Testing

/// One suite, every implementation of the evaluation state: the in-memory state of `dry-run` and
/// the SQLite and PostgreSQL states of `process` and `serve`. What one writes, the other must
/// read back the same; for a database the reads happen in a later transaction of a store that
/// cached nothing, so what a batch commits is what a restarted scheduler sees.
@Suite struct EvaluationStateConformanceTests {
    enum Backend: String, CustomTestStringConvertible, Sendable {
        case memory, sqlite, postgres
        var testDescription: String { rawValue }

        /// Memory, and the store backends of the test run.
        static var available: [Backend] { [.memory] + StoreBackend.available.map { Backend(rawValue: $0.rawValue)! } }
    }

    /// Runs `write` on a fresh state, then `read` on the same data (SQLite: a new state in a new
    /// transaction after `write`'s commit). Events in `queue` are accepted first (SQLite keeps
    /// an orphan as its place in the queue); `write` gets their origins by id.
    static func check(
        _ backend: Backend, queue: [String] = [], write: (any EvaluationState, [String: EventOrigin]) throws -> Void,
        read: (any EvaluationState) throws -> Void
    ) async throws {
        let events = try queue.map { line in
            IncomingEvent(event: try EventParser.parse(line: Array(line.utf8)).get(), origin: EventOrigin())
        }
        switch backend {
        case .memory:
            let state = InMemoryState()
            try write(state, Dictionary(uniqueKeysWithValues: events.map { ($0.event.id, EventOrigin()) }))
            try read(state)
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cashback-state-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try SQLiteStore(path: directory.appendingPathComponent("s.sqlite").path)
            _ = try await store.enqueue(events, now: Timestamp(epochSeconds: 0))
            let origins = try await store.allQueued().compactMap { queued -> (String, EventOrigin)? in
                guard case .event(let event, _) = queued.input else { return nil }
                return (event.id, EventOrigin(sequence: queued.sequence))
            }
            try store.inStateTransaction { try write($0, Dictionary(uniqueKeysWithValues: origins)) }
            // Another store on the file: nothing cached, everything read back from the database.
            try SQLiteStore(path: store.path).inStateTransaction { try read($0) }
        case .postgres:
            let database = try PostgresTestDatabase()
            defer { database.drop() }
            let location = try #require(PostgresLocation(url: database.url))
            let store = try PostgresStore(location: location)
            defer { store.close() }
            _ = try await store.enqueue(events, now: Timestamp(epochSeconds: 0))
            let origins = try await store.allQueued().compactMap { queued -> (String, EventOrigin)? in
                guard case .event(let event, _) = queued.input else { return nil }
                return (event.id, EventOrigin(sequence: queued.sequence))
            }
            try store.inStateTransaction { try write($0, Dictionary(uniqueKeysWithValues: origins)) }
            let another = try PostgresStore(location: location)
            defer { another.close() }
            try another.inStateTransaction { try read($0) }
        }
    }

    static func clawback(_ line: String) throws -> Event.Clawback {
        guard case .success(let event) = EventParser.parse(line: Array(line.utf8)), let clawback = Event.Clawback(event) else {
            throw Failure(description: "not a refund or reversal: \(line)")
        }
        return clawback
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let euro = Currency(code: "EUR")!
    static let day = PeriodKey(period: .month, index: 2026 * 12 + 10)

    @Test(arguments: Backend.available)
    func seenIdsAreRememberedWithTheirFingerprint(backend: Backend) async throws {
        try await Self.check(backend) { state, _ throws in
            #expect(try state.seenEvent("p1") == nil)
            try state.recordSeen("p1", SeenEvent(kind: .payment, fingerprint: Fingerprint(canonicalText: "f1")))
            try state.recordSeen("r1", SeenEvent(kind: .refund, fingerprint: Fingerprint(canonicalText: "f2")))
        } read: { state throws in
            #expect(try state.seenEvent("p1") == SeenEvent(kind: .payment, fingerprint: Fingerprint(canonicalText: "f1")))
            #expect(try state.seenEvent("r1") == SeenEvent(kind: .refund, fingerprint: Fingerprint(canonicalText: "f2")))
            #expect(try state.seenEvent("p2") == nil)
        }
    }

    @Test(arguments: Backend.available)
    func usageStartsAtZeroAddsAndGivesBack(backend: Backend) async throws {
        let key = UsageKey(limit: "shop/base#0", account: "a1", period: Self.day)
        let everyone = UsageKey(limit: "shop#budget", account: nil, period: PeriodKey(period: .lifetime, index: 0))
        try await Self.check(backend) { state, _ throws in
            #expect(try state.usage(key) == Usage())
            try state.addUsage(key, amount: 250, count: 1)
            try state.addUsage(key, amount: 100, count: 1)
            try state.addUsage(key, amount: -50, count: -1)
            try state.addUsage(everyone, amount: 1_000_000_000_000, count: 0)
        } read: { state throws in
            #expect(try state.usage(key) == Usage(amount: 300, count: 1))
            #expect(try state.usage(everyone) == Usage(amount: 1_000_000_000_000, count: 0))
            #expect(try state.usage(UsageKey(limit: "shop/base#0", account: "a2", period: Self.day)) == Usage())
        }
    }

    @Test(arguments: Backend.available)
    func paymentRecordsComeBackAsSaved(backend: Backend) async throws {
        let key = UsageKey(limit: "shop/base#0", account: "Zoé", period: Self.day)
        var record = PaymentRecord(
            id: "p1", account: "Zoé", partner: "shop", currency: Self.euro, amount: 10_000,
            occurredAt: Timestamp(epochSeconds: 1_795_000_000, nanoseconds: 120_000_000),
            lines: [RecordedLine(rule: "shop/base", amount: 500, usageKeys: [key])], countKeys: [key])
        try await Self.check(backend) { state, _ throws in
            #expect(try state.payment("p1") == nil)
            try state.savePayment(record)
            record.refunded = 2_500
            record.lines[0].clawedBack = 125
            try state.savePayment(record)
        } read: { state throws in
            #expect(try state.payment("p1") == record)
        }
    }

    @Test(arguments: Backend.available)
    func historyCountsPaymentsAndSpendPerAccountPartnerAndDay(backend: Backend) async throws {
        try await Self.check(backend) { state, _ throws in
            try state.recordPurchase(account: "a1", at: "shop", currency: Self.euro, amount: 1_000, day: 20_000)
            try state.recordPurchase(account: "a1", at: "shop", currency: Self.euro, amount: 2_000, day: 20_001)
            try state.recordPurchase(account: "a1", at: nil, currency: Self.euro, amount: 3_000, day: 20_001)
            try state.recordPurchase(account: "a2", at: "shop", currency: Self.euro, amount: 4_000, day: 20_001)
        } read: { state throws in
            #expect(try state.earlierPaymentCount(account: "a1", at: "shop") == 2)
            #expect(try state.earlierPaymentCount(account: "a1", at: nil) == 1)
            #expect(try state.earlierPaymentCount(account: "a3", at: "shop") == 0)
            #expect(try state.spend(account: "a1", at: "shop", currency: Self.euro, days: 20_000...20_001) == 3_000)
            #expect(try state.spend(account: "a1", at: "shop", currency: Self.euro, days: 20_001...20_031) == 2_000)
            #expect(try state.spend(account: "a1", at: "shop", currency: Currency(code: "USD")!, days: 0...30_000) == 0)
            let snapshot = try state.historySnapshot(accounts: ["a1"], includingSpend: true)
            let history = InMemoryHistory(snapshot)
            #expect(history.earlierPaymentCount(account: "a1", at: "shop") == 2)
            #expect(history.earlierPaymentCount(account: "a2", at: "shop") == 0, "only the accounts asked for")
            #expect(history.spend(account: "a1", at: nil, currency: Self.euro, days: 20_001...20_001) == 3_000)
            let withoutSpend = InMemoryHistory(try state.historySnapshot(accounts: ["a1"], includingSpend: false))
            #expect(withoutSpend.spend(account: "a1", at: "shop", currency: Self.euro, days: 0...30_000) == 0)
        }
    }

    @Test(arguments: Backend.available)
    func orphansComeBackOnceInArrivalOrder(backend: Backend) async throws {
        let lines = [
            #"{"id":"r1","type":"refund","original_id":"p9","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR"}"#,
            #"{"id":"v2","type":"reversal","original_id":"p8","occurred_at":"2026-11-03T10:00:00Z"}"#,
            #"{"id":"v1","type":"reversal","original_id":"p9","occurred_at":"2026-11-03T10:00:00Z"}"#,
        ]
        try await Self.check(backend, queue: lines) { state, origins throws in
            for line in lines {
                let clawback = try Self.clawback(line)
                try state.addOrphan(Orphan(clawback, origin: origins[clawback.event.id] ?? EventOrigin()))
            }
        } read: { state throws in
            #expect(try state.takeOrphans(waitingFor: "p9").map(\.event.id) == ["r1", "v1"])
            #expect(try state.takeOrphans(waitingFor: "p9").isEmpty, "taken once")
            #expect(try state.takeOrphans(waitingFor: "p8").map(\.event.id) == ["v2"])
        }
    }
}
