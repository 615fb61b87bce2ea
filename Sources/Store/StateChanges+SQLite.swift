import Engine
import GRDB

extension StateChanges {
    /// Writes the changes into `db`, inside the batch's transaction.
    func write(to db: Database) throws {
        // One row per id: enqueueing accepted it, evaluation marks it seen.
        let insertSeen = try db.cachedStatement(
            sql: """
                INSERT INTO accepted (event_id, fingerprint, seen_kind) VALUES (?, ?, ?)
                ON CONFLICT (event_id) DO UPDATE SET seen_kind = excluded.seen_kind
                """)
        for (id, seen) in seen.sorted(by: { $0.key < $1.key }) {
            try insertSeen.run(.text(id), .blob(seen.fingerprint.bytes), .text(seen.kind.rawValue))
        }
        let savePayment = try db.cachedStatement(
            sql:
                "INSERT INTO payments (event_id, record) VALUES (?, ?) ON CONFLICT (event_id) DO UPDATE SET record = excluded.record"
        )
        for (id, record) in payments { try savePayment.run(.text(id), .blob(StoredPaymentRecord.encode(record))) }
        let saveUsage = try db.cachedStatement(
            sql: """
                INSERT INTO usage (limit_id, account, period, period_index, amount, count) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET amount = excluded.amount, count = excluded.count
                """)
        for (key, value) in usage where key.account == nil {
            try saveUsage.run(
                .text(key.limit), .text(key.account ?? ""), .text(key.period.period.rawValue), .integer(key.period.index),
                .integer(value.amount), .integer(value.count))
        }
        let saveHistory = try db.cachedStatement(
            sql: "INSERT INTO histories (account, history) VALUES (?, ?) ON CONFLICT DO UPDATE SET history = excluded.history")
        for (account, history) in accounts { try saveHistory.run(.text(account), .blob(history.packed())) }
        let deleteOrphans = try db.cachedStatement(sql: "DELETE FROM orphans WHERE original_id = ?")
        for id in orphansTaken { try deleteOrphans.execute(arguments: [id]) }
        let addOrphan = try db.cachedStatement(sql: "INSERT INTO orphans (original_id, event_id, queue_seq) VALUES (?, ?, ?)")
        for orphan in orphansAdded {
            try addOrphan.execute(arguments: [orphan.originalID, orphan.event.id, orphan.origin.sequence])
        }
    }
}
