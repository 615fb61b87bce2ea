import Engine
import Foundation
import GRDB

/// The evaluation state in the database, inside the write transaction of one batch. Reads are
/// cached for the batch; writes go straight into the transaction, so they commit or roll back
/// together with the batch's decisions and queue position. A failed read or write throws
/// SQLite's error, and the batch's transaction rolls back.
package final class StoreState: EvaluationState {
    private let db: Database
    private var seenCache: [String: SeenEvent?] = [:]
    private var paymentCache: [String: PaymentRecord?] = [:]
    private var usageCache: [UsageKey: Usage] = [:]
    private var purchaseCache: [PurchaseKey: Int] = [:]

    package init(db: Database) { self.db = db }

    package func seenEvent(_ id: String) throws -> SeenEvent? {
        if let cached = seenCache[id] { return cached }
        let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT kind, fingerprint FROM seen WHERE event_id = ?"), arguments: [id])
        let seen = try row.flatMap { row -> SeenEvent? in
            guard let kind = Event.Kind(rawValue: try row.decode(forColumn: "kind")) else { return nil }
            return SeenEvent(kind: kind, fingerprint: try row.decode(forColumn: "fingerprint"))
        }
        seenCache[id] = seen
        return seen
    }

    package func recordSeen(_ id: String, _ seen: SeenEvent) throws {
        try execute(
            "INSERT INTO seen (event_id, kind, fingerprint) VALUES (?, ?, ?)", [id, seen.kind.rawValue, seen.fingerprint])
        seenCache[id] = seen
    }

    package func payment(_ id: String) throws -> PaymentRecord? {
        if let cached = paymentCache[id] { return cached }
        let json = try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM payments WHERE event_id = ?"), arguments: [id])
        let record = json.flatMap(PaymentRecord.init(jsonText:))
        paymentCache[id] = record
        return record
    }

    package func savePayment(_ record: PaymentRecord) throws {
        try execute(
            "INSERT INTO payments (event_id, record) VALUES (?, ?) ON CONFLICT (event_id) DO UPDATE SET record = excluded.record",
            [record.id, record.jsonText])
        paymentCache[record.id] = record
    }

    package func usage(_ key: UsageKey) throws -> Usage {
        if let cached = usageCache[key] { return cached }
        let row = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT amount, count FROM usage WHERE limit_id = ? AND account = ? AND period = ? AND period_index = ?"),
            arguments: [key.limit, key.account ?? "", key.period.period.rawValue, key.period.index])
        let usage = row.map { Usage(amount: $0["amount"], count: $0["count"]) } ?? .zero
        usageCache[key] = usage
        return usage
    }

    package func addUsage(_ key: UsageKey, amount: Int, count: Int) throws {
        var usage = try self.usage(key)
        usage.amount += amount
        usage.count += count
        try execute(
            """
            INSERT INTO usage (limit_id, account, period, period_index, amount, count) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET amount = excluded.amount, count = excluded.count
            """,
            [key.limit, key.account ?? "", key.period.period.rawValue, key.period.index, usage.amount, usage.count])
        usageCache[key] = usage
    }

    package func earlierPaymentCount(account: String, at partner: String?) throws -> Int {
        let key = PurchaseKey(account: account, partner: partner)
        if let cached = purchaseCache[key] { return cached }
        let count =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count FROM purchases WHERE account = ? AND partner = ?"),
                arguments: [account, partner ?? ""]) ?? 0
        purchaseCache[key] = count
        return count
    }

    package func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT COALESCE(SUM(amount), 0) FROM spend
                    WHERE account = ? AND partner = ? AND currency = ? AND day BETWEEN ? AND ?
                    """),
            arguments: [account, partner ?? "", currency.code, days.lowerBound, days.upperBound]) ?? 0
    }

    package func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, day: Int) throws {
        let key = PurchaseKey(account: account, partner: partner)
        let count = try earlierPaymentCount(account: account, at: partner) + 1
        try execute(
            "INSERT INTO purchases (account, partner, count) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET count = excluded.count",
            [account, partner ?? "", count])
        purchaseCache[key] = count
        try execute(
            """
            INSERT INTO spend (account, partner, currency, day, amount) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET amount = amount + excluded.amount
            """,
            [account, partner ?? "", currency.code, day, amount])
    }

    package func historySnapshot(accounts: Set<String>, includingSpend: Bool) throws -> HistorySnapshot {
        var snapshot = HistorySnapshot()
        let list = Array(accounts)
        for start in stride(from: 0, to: list.count, by: 500) {
            let chunk = Array(list[start..<min(start + 500, list.count)])
            let marks = databaseQuestionMarks(count: chunk.count)
            let arguments = StatementArguments(chunk)
            let purchases = try Row.fetchAll(
                db, sql: "SELECT account, partner, count FROM purchases WHERE account IN (\(marks))", arguments: arguments)
            for row in purchases {
                let partner: String = try row.decode(forColumn: "partner")
                snapshot.purchases[
                    PurchaseKey(account: try row.decode(forColumn: "account"), partner: partner.isEmpty ? nil : partner)] =
                    try row.decode(forColumn: "count")
            }
            guard includingSpend else { continue }
            let spends = try Row.fetchAll(
                db, sql: "SELECT account, partner, currency, day, amount FROM spend WHERE account IN (\(marks))",
                arguments: arguments)
            for row in spends {
                let partner: String = try row.decode(forColumn: "partner")
                let scope = SpendScope(
                    account: try row.decode(forColumn: "account"), partner: partner.isEmpty ? nil : partner,
                    currency: try row.decode(forColumn: "currency"))
                snapshot.spends[scope, default: [:]][try row.decode(forColumn: "day")] = try row.decode(forColumn: "amount")
            }
        }
        return snapshot
    }

    package func addOrphan(_ orphan: Orphan) throws {
        try execute(
            "INSERT INTO orphans (original_id, event_id, queue_seq) VALUES (?, ?, ?)",
            [orphan.originalID, orphan.event.id, orphan.origin.sequence])
    }

    package func takeOrphans(waitingFor paymentID: String) throws -> [Orphan] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT q.seq, q.body, q.file, q.line FROM orphans o JOIN queue q ON q.seq = o.queue_seq
                    WHERE o.original_id = ? ORDER BY o.id
                    """),
            arguments: [paymentID])
        guard !rows.isEmpty else { return [] }
        try execute("DELETE FROM orphans WHERE original_id = ?", [paymentID])
        return try rows.compactMap { row in
            let body: String = try row.decode(forColumn: "body")
            guard case .success(let event) = EventParser.parse(line: Array(body.utf8)), let clawback = Event.Clawback(event)
            else { return nil }
            return Orphan(
                clawback,
                origin: EventOrigin(
                    file: try row.decode(forColumn: "file"), line: try row.decode(forColumn: "line"),
                    sequence: try row.decode(forColumn: "seq")))
        }
    }

    private func execute(_ sql: String, _ arguments: StatementArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
