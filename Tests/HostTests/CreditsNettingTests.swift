import Engine
import Foundation
import GRDB
import Server
import Store
import Testing
import Workload

/// SPEC §4.3: money never paid out is never taken back. A clawback processed while its line is
/// pending reduces that line; one processed after it confirmed is a debit at once.
@Suite struct CreditsNettingTests {
    /// A store whose rules give 10% at shop M1, confirmed 30 days after the payment.
    struct Ledger {
        let test: TestStore
        var store: any Storage { test.store }
        let rules: RuleSet

        init(_ backend: StoreBackend) async throws {
            test = try await TestStore(backend)
            rules = try StoreTests.rules()
        }

        func remove() { test.remove() }

        func texts(_ sql: String) async throws -> [String] { try await test.texts(sql) }

        /// Enqueues `events` and processes them as if the time were `now`.
        func process(_ events: [IncomingEvent], at now: String) async throws {
            let time = try Timestamp.parse(now).get()
            _ = try await store.enqueue(groups: [events], now: time)
            try await store.recordRulesVersion(rules.version, files: [], now: time)
            _ = try await SchedulerDriver(store: store, workers: 2, logger: .init(label: "test")).run(
                SchedulerStateMachine(mode: .drain, batchLimit: 2), environment: .init(rules: { rules }, now: { time }))
        }

        @discardableResult
        func confirm(at now: String) async throws -> Int {
            try await store.confirmDue(now: try Timestamp.parse(now).get())
        }

        func feed() async throws -> [Credit] { try await store.credits(after: 0, limit: 1000) }

        /// The account's pending and confirmed euros, in cents.
        func balance() async throws -> [Int] {
            try await store.account("a1", recent: 0).balances.flatMap { [$0.pending, $0.confirmed] }
        }
    }

    static func reversal(_ id: String, of original: String, day: Int) -> IncomingEvent {
        let line =
            #"{"id":"\#(id)","type":"reversal","original_id":"\#(original)","occurred_at":"2026-11-\#(String(format: "%02d", day))T10:00:00Z"}"#
        return IncomingEvent(event: try! EventParser.parse(line: Array(line.utf8)).get(), origin: EventOrigin())
    }

    @Test(arguments: StoreBackend.available) func aPaymentReversedInsideItsWindowNeverReachesTheFeed(backend: StoreBackend)
        async throws
    {
        let ledger = try await Ledger(backend)
        defer { ledger.remove() }
        try await ledger.process(
            [StoreTests.payment("p1", "110.00", day: 2), CreditsNettingTests.reversal("v1", of: "p1", day: 5)],
            at: "2026-11-05T11:00:00Z")
        #expect(try await ledger.balance() == [0, 0])
        #expect(try await ledger.confirm(at: "2026-12-02T10:00:00Z") == 1)
        #expect(try await ledger.confirm(at: "2027-02-01T00:00:00Z") == 0, "the clawback confirmed with its line")
        #expect(try await ledger.feed().isEmpty)
        #expect(try await ledger.balance() == [0, 0])
    }

    @Test(arguments: StoreBackend.available) func aPartialRefundInsideTheWindowLeavesOnlyTheRestToCredit(backend: StoreBackend)
        async throws
    {
        let ledger = try await Ledger(backend)
        defer { ledger.remove() }
        try await ledger.process([StoreTests.payment("p1", "10.00", day: 2)], at: "2026-11-02T10:00:01Z")
        try await ledger.process([StoreTests.refund("r1", of: "p1", "4.00", day: 9)], at: "2026-11-09T10:00:01Z")
        #expect(try await ledger.balance() == [60, 0])
        #expect(try await ledger.confirm(at: "2026-12-02T09:59:59Z") == 0)
        #expect(try await ledger.confirm(at: "2026-12-02T10:00:00Z") == 1)
        let feed = try await ledger.feed()
        #expect(feed.count == 1)
        let credit = try #require(feed.first)
        #expect(credit.kind == .credit && credit.eventID == "p1" && credit.originalID == nil)
        #expect(credit.amount == 60 && credit.rule == "shop/base" && credit.account == "a1" && credit.partner == "shop")
        #expect(credit.dueAt == (try Timestamp.parse("2026-12-02T10:00:00Z").get()))
        #expect(try await ledger.balance() == [0, 60])
    }

    @Test(arguments: StoreBackend.available) func aClawbackOfAConfirmedLineIsADebitAtOnceThatNamesItsPayment(
        backend: StoreBackend
    )
        async throws
    {
        let ledger = try await Ledger(backend)
        defer { ledger.remove() }
        try await ledger.process([StoreTests.payment("p1", "10.00", day: 2)], at: "2026-11-02T10:00:01Z")
        try await ledger.confirm(at: "2026-12-02T10:00:00Z")
        try await ledger.process([StoreTests.refund("r1", of: "p1", "2.50", day: 28)], at: "2026-12-05T08:00:00Z")
        let feed = try await ledger.feed()
        #expect(feed.map(\.kind) == [.credit, .debit], "no sweep needed for the debit")
        let debit = try #require(feed.last)
        #expect(debit.eventID == "r1" && debit.originalID == "p1" && debit.amount == -25)
        #expect(debit.ledgerLine != feed[0].ledgerLine)
        #expect(debit.dueAt == (try Timestamp.parse("2026-12-05T08:00:00Z").get()), "due when processed")
        #expect(try await ledger.balance() == [0, 75])
        #expect(try await ledger.confirm(at: "2027-06-01T00:00:00Z") == 0, "nothing left to confirm")
    }

    @Test(arguments: StoreBackend.available) func aLineDueButNotYetSweptIsCreditedBeforeItsClawbackIsDebited(
        backend: StoreBackend
    )
        async throws
    {
        let ledger = try await Ledger(backend)
        defer { ledger.remove() }
        // Processed 33 days late, in one batch: the payment's line is already due.
        try await ledger.process(
            [StoreTests.payment("p1", "10.00", day: 2), StoreTests.refund("r1", of: "p1", "10.00", day: 3)],
            at: "2026-12-05T00:00:00Z")
        let feed = try await ledger.feed()
        #expect(feed.map(\.kind) == [.credit, .debit])
        #expect(feed.map(\.amount) == [100, -100])
        #expect(feed.map(\.eventID) == ["p1", "r1"])
    }

    @Test(arguments: StoreBackend.available) func eachPaymentsFeedEntriesSumToItsNetCashbackWhateverTheTiming(
        backend: StoreBackend
    )
        async throws
    {
        var random = SplitMix(seed: 41)
        let ledger = try await Ledger(backend)
        defer { ledger.remove() }
        var refunded: [String: Int] = [:]
        var clock = try Timestamp.parse("2026-11-01T00:00:00Z").get()
        for batch in 0..<12 {
            var events: [IncomingEvent] = []
            for index in 0..<6 {
                let id = "p\(batch)-\(index)"
                events.append(StoreTests.payment(id, "\(10 + random.next(90)).00", day: 1 + random.next(28)))
                refunded[id] = 0
            }
            for _ in 0..<4 {
                let target = "p\(random.next(batch + 1))-\(random.next(6))"
                let id = "c\(events.count)-\(batch)-\(target)"
                let day = 1 + random.next(28)
                events.append(
                    random.next(3) == 0
                        ? CreditsNettingTests.reversal(id, of: target, day: day)
                        : StoreTests.refund(id, of: target, "\(1 + random.next(20)).00", day: day))
            }
            try await ledger.process(events, at: clock.description)
            clock = clock.adding(seconds: Int64(random.next(10)) * 86_400)
            if random.next(2) == 0 { try await ledger.confirm(at: clock.description) }
        }
        try await ledger.confirm(at: "2028-01-01T00:00:00Z")
        let netPerPayment = Dictionary(
            uniqueKeysWithValues: try await ledger.texts(
                "SELECT COALESCE(original_event_id, event_id) || '|' || SUM(amount) FROM ledger GROUP BY COALESCE(original_event_id, event_id)"
            ).map { row in
                let parts = row.split(separator: "|")
                return (String(parts[0]), Int(parts[1]) ?? .min)
            })
        var fedPerPayment: [String: Int] = [:]
        let feed = try await ledger.feed()
        #expect(Set(feed.map(\.kind)) == [.credit, .debit], "both kinds happened")
        let netted = Int(try await ledger.texts("SELECT COUNT(*) FROM ledger WHERE nets_ledger_id IS NOT NULL").first ?? "")
        #expect((netted ?? 0) > 0, "some clawback reduced a pending line")
        for entry in feed {
            #expect((entry.kind == .credit) == (entry.amount > 0))
            #expect((entry.kind == .debit) == (entry.originalID != nil))
            fedPerPayment[entry.originalID ?? entry.eventID, default: 0] += entry.amount
        }
        #expect(netPerPayment.filter { $0.value != 0 } == fedPerPayment.filter { $0.value != 0 })
        #expect(netPerPayment.values.contains { $0 == 0 }, "some payment was wholly taken back")
        #expect(try await ledger.balance() == [0, fedPerPayment.values.reduce(0, +)])
    }
}

/// A database the earlier release wrote (clawbacks waiting their own window, the feed listing
/// ledger lines) carries on under SPEC §4.3 once opened.
@Suite struct CreditsNettingMigrationTests {
    @Test func earlierClawbacksNetTheirPendingLinesOrFallDueWhenProcessed() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("old.sqlite")
        let old = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(old, upTo: "2026-12-02 credits feed identity")
        let nov2 = 1_793_613_600  // 2026-11-02T10:00:00Z
        let day = 86_400
        try await old.write { db in
            try db.execute(sql: "INSERT INTO rules_versions VALUES ('v1', 0)")
            // p1 (1.00, pending) and r1 (-0.40 of it, processed while it was pending); p2 (2.00,
            // confirmed and in the feed) and r2 (-2.00 of it, processed on 20 Dec).
            let events: [(id: String, body: String, processed: Int)] = [
                ("p1", #"{"id":"p1"}"#, nov2),
                ("p2", #"{"id":"p2"}"#, nov2),
                ("r1", #"{"id":"r1","type":"refund","original_id":"p1"}"#, nov2 + 7 * day),
                ("r2", #"{"id":"r2","type":"reversal","original_id":"p2"}"#, nov2 + 48 * day),
            ]
            for (seq, event) in events.enumerated() {
                try db.execute(
                    sql: "INSERT INTO queue (seq, event_id, body, accepted_at) VALUES (?, ?, ?, 0)",
                    arguments: [seq + 1, event.id, event.body])
                try db.execute(
                    sql: """
                        INSERT INTO decisions (position, queue_seq, event_id, status, json, rules_version, processed_at)
                        VALUES (?, ?, ?, 'rewarded', '{}', 'v1', ?)
                        """,
                    arguments: [seq + 1, seq + 1, event.id, event.processed])
            }
            let lines: [(id: String, amount: Int, occurred: Int, status: String)] = [
                ("p1", 100, nov2, "pending"), ("p2", 200, nov2 - 40 * day, "confirmed"),
                ("r1", -40, nov2 + 7 * day, "pending"), ("r2", -200, nov2 + 48 * day, "pending"),
            ]
            for (index, line) in lines.enumerated() {
                try db.execute(
                    sql: """
                        INSERT INTO ledger (id, decision_position, event_id, account, partner, rule, currency, amount,
                                            occurred_at, confirm_at, status, rules_version)
                        VALUES (?, ?, ?, 'a1', 'shop', 'shop/base', 'EUR', ?, ?, ?, ?, 'v1')
                        """,
                    arguments: [index + 1, index + 1, line.id, line.amount, line.occurred, line.occurred + 30 * day, line.status])
            }
            try db.execute(sql: "INSERT INTO credits (ledger_id) VALUES (2)")
        }
        try old.close()

        let store = try SQLiteStore(path: path)
        #expect(try await store.confirmDue(now: Timestamp(epochSeconds: Int64(nov2 + 49 * day))) == 2)
        let feed = try await store.credits(after: 0, limit: 10)
        #expect(feed.map(\.eventID) == ["p2", "p1", "r2"])
        #expect(feed.map(\.kind) == [.credit, .credit, .debit])
        #expect(feed.map(\.amount) == [200, 60, -200], "r1 reduced p1's pending line")
        #expect(feed.map(\.originalID) == [nil, nil, "p2"])
        #expect(
            feed.map(\.dueAt.epochSeconds) == [Int64(nov2 - 10 * day), Int64(nov2 + 30 * day), Int64(nov2 + 48 * day)],
            "r2 fell due when it was processed")
        #expect(try await store.account("a1", recent: 0).balances.map(\.confirmed) == [60])
        let stats = try await store.stats(ofPartner: "shop")
        #expect(
            stats.map(\.figures.partnerFunded) == [300] && stats.map(\.figures.partnerClawbacks) == [-240],
            "its own lines, carried over")
    }
}
