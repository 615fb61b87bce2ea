import Engine
import Foundation
import GRDB

/// The evaluation state in the database, inside the write transaction of one batch. Reads are
/// cached for the batch; writes go straight into the transaction, so they commit or roll back
/// together with the batch's decisions and queue position.
package final class StoreState: EvaluationState {
    private let db: Database
    private var seenCache: [String: SeenEvent?] = [:]
    private var paymentCache: [String: PaymentRecord?] = [:]
    private var usageCache: [UsageKey: Usage] = [:]
    private var purchaseCache: [PurchaseKey: Int] = [:]

    package init(db: Database) { self.db = db }

    package func seenEvent(_ id: String) -> SeenEvent? {
        if let cached = seenCache[id] { return cached }
        let row = read { try Row.fetchOne(db.cachedStatement(sql: "SELECT kind, fingerprint FROM seen WHERE event_id = ?"), arguments: [id]) }
        let seen = row.flatMap { row -> SeenEvent? in
            guard let kind = Event.Kind(rawValue: row["kind"]) else { return nil }
            return SeenEvent(kind: kind, fingerprint: row["fingerprint"])
        }
        seenCache[id] = seen
        return seen
    }

    package func recordSeen(_ id: String, _ seen: SeenEvent) {
        seenCache[id] = seen
        execute("INSERT INTO seen (event_id, kind, fingerprint) VALUES (?, ?, ?)", [id, seen.kind.rawValue, seen.fingerprint])
    }

    package func payment(_ id: String) -> PaymentRecord? {
        if let cached = paymentCache[id] { return cached }
        let json = read { try String.fetchOne(db.cachedStatement(sql: "SELECT record FROM payments WHERE event_id = ?"), arguments: [id]) }
        let record = json.flatMap(PaymentRecord.init(jsonText:))
        paymentCache[id] = record
        return record
    }

    package func savePayment(_ record: PaymentRecord) {
        paymentCache[record.id] = record
        execute(
            "INSERT INTO payments (event_id, record) VALUES (?, ?) ON CONFLICT (event_id) DO UPDATE SET record = excluded.record",
            [record.id, record.jsonText])
    }

    package func usage(_ key: UsageKey) -> Usage {
        if let cached = usageCache[key] { return cached }
        let row = read {
            try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT amount, count FROM usage WHERE limit_id = ? AND account = ? AND period = ? AND period_index = ?"),
                arguments: [key.limit, key.account ?? "", key.period.period.rawValue, key.period.index])
        }
        let usage = row.map { Usage(amount: $0["amount"], count: $0["count"]) } ?? .zero
        usageCache[key] = usage
        return usage
    }

    package func addUsage(_ key: UsageKey, amount: Int, count: Int) {
        var usage = self.usage(key)
        usage.amount += amount
        usage.count += count
        usageCache[key] = usage
        execute(
            """
            INSERT INTO usage (limit_id, account, period, period_index, amount, count) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET amount = excluded.amount, count = excluded.count
            """,
            [key.limit, key.account ?? "", key.period.period.rawValue, key.period.index, usage.amount, usage.count])
    }

    package func earlierPaymentCount(account: String, at partner: String?) -> Int {
        let key = PurchaseKey(account: account, partner: partner)
        if let cached = purchaseCache[key] { return cached }
        let count = read {
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT count FROM purchases WHERE account = ? AND partner = ?"),
                arguments: [account, partner ?? ""])
        } ?? 0
        purchaseCache[key] = count
        return count
    }

    package func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) -> Int {
        read {
            try Int.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT COALESCE(SUM(amount), 0) FROM spend
                        WHERE account = ? AND partner = ? AND currency = ? AND day BETWEEN ? AND ?
                        """),
                arguments: [account, partner ?? "", currency.code, days.lowerBound, days.upperBound])
        } ?? 0
    }

    package func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, day: Int) {
        let key = PurchaseKey(account: account, partner: partner)
        let count = earlierPaymentCount(account: account, at: partner) + 1
        purchaseCache[key] = count
        execute(
            "INSERT INTO purchases (account, partner, count) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET count = excluded.count",
            [account, partner ?? "", count])
        execute(
            """
            INSERT INTO spend (account, partner, currency, day, amount) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO UPDATE SET amount = amount + excluded.amount
            """,
            [account, partner ?? "", currency.code, day, amount])
    }

    package func historySnapshot(accounts: Set<String>, includingSpend: Bool) -> HistorySnapshot {
        var snapshot = HistorySnapshot()
        let list = Array(accounts)
        for start in stride(from: 0, to: list.count, by: 500) {
            let chunk = Array(list[start..<min(start + 500, list.count)])
            let marks = databaseQuestionMarks(count: chunk.count)
            let arguments = StatementArguments(chunk)
            let purchases = read {
                try Row.fetchAll(db, sql: "SELECT account, partner, count FROM purchases WHERE account IN (\(marks))", arguments: arguments)
            } ?? []
            for row in purchases {
                let partner: String = row["partner"]
                snapshot.purchases[PurchaseKey(account: row["account"], partner: partner.isEmpty ? nil : partner)] = row["count"]
            }
            guard includingSpend else { continue }
            let spends = read {
                try Row.fetchAll(
                    db, sql: "SELECT account, partner, currency, day, amount FROM spend WHERE account IN (\(marks))",
                    arguments: arguments)
            } ?? []
            for row in spends {
                let partner: String = row["partner"]
                let scope = SpendScope(account: row["account"], partner: partner.isEmpty ? nil : partner, currency: row["currency"])
                snapshot.spends[scope, default: [:]][row["day"]] = row["amount"]
            }
        }
        return snapshot
    }

    package func addOrphan(_ orphan: Orphan) {
        execute(
            "INSERT INTO orphans (original_id, event_id, queue_seq) VALUES (?, ?, ?)",
            [orphan.event.originalID ?? "", orphan.event.id, orphan.origin.sequence])
    }

    package func takeOrphans(waitingFor paymentID: String) -> [Orphan] {
        let rows = read {
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT q.seq, q.body, q.file, q.line FROM orphans o JOIN queue q ON q.seq = o.queue_seq
                        WHERE o.original_id = ? ORDER BY o.id
                        """),
                arguments: [paymentID])
        } ?? []
        guard !rows.isEmpty else { return [] }
        execute("DELETE FROM orphans WHERE original_id = ?", [paymentID])
        return rows.compactMap { row in
            let body: String = row["body"]
            guard case .success(let event) = EventParser.parse(line: Array(body.utf8)) else { return nil }
            return Orphan(event: event, origin: EventOrigin(file: row["file"], line: row["line"], sequence: row["seq"]))
        }
    }

    /// Runs a read; a failure is kept like a write failure.
    private func read<T>(_ body: () throws -> T?) -> T? {
        do {
            return try body()
        } catch {
            failure = failure ?? error
            return nil
        }
    }

    /// Runs a write; a failure here means the database is unusable, and the batch must not commit.
    private func execute(_ sql: String, _ arguments: StatementArguments) {
        do {
            try db.cachedStatement(sql: sql).execute(arguments: arguments)
        } catch {
            failure = failure ?? error
        }
    }

    /// The first write error of the batch; the caller checks it before committing.
    private(set) var failure: (any Error)?
}
