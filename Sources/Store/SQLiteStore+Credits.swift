import Engine
import GRDB

/// One entry of the credits feed: a ledger line the core banking system applies exactly once.
package struct Credit: Sendable, Equatable {
    package let cursor: Int64
    package let eventID: String
    package let account: String
    package let partner: String?
    package let rule: String
    package let currency: String
    /// Minor units; negative for a clawback.
    package let amount: Int
}

extension SQLiteStore {
    /// Confirms every pending ledger line whose `occurred_at + confirm_after` is at or before
    /// `now`, appending each to the credits feed once, in ledger order. Positive lines and
    /// clawbacks alike wait their confirmation time. Returns how many were confirmed.
    @discardableResult
    package func confirmDue(now: Timestamp) async throws -> Int {
        try await pool.write { db in
            let due = try Int64.fetchAll(
                db, sql: "SELECT id FROM ledger WHERE status = 'pending' AND confirm_at <= ? ORDER BY id",
                arguments: [now.epochSeconds])
            for id in due {
                try db.execute(sql: "UPDATE ledger SET status = 'confirmed' WHERE id = ?", arguments: [id])
                try db.execute(sql: "INSERT INTO credits (ledger_id) VALUES (?)", arguments: [id])
            }
            return due.count
        }
    }

    /// The credits feed after `cursor`, at most `limit` entries, in cursor order.
    /// The credits feed's identity: 32 hex digits fixed when the database was created.
    package func feedID() async throws -> String {
        try await pool.read { db in
            guard let id = try String.fetchOne(db, sql: "SELECT id FROM feed") else {
                throw StoreError(.notCashback, path: path, "the credits feed has no identity")
            }
            return id
        }
    }

    package func credits(after cursor: Int64, limit: Int) async throws -> [Credit] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.cursor, l.event_id, l.account, l.partner, l.rule, l.currency, l.amount
                    FROM credits c JOIN ledger l ON l.id = c.ledger_id
                    WHERE c.cursor > ? ORDER BY c.cursor LIMIT ?
                    """,
                arguments: [cursor, limit]
            ).map { row in
                Credit(
                    cursor: try row.decode(forColumn: "cursor"), eventID: try row.decode(forColumn: "event_id"),
                    account: try row.decode(forColumn: "account"), partner: try row.decode(forColumn: "partner"),
                    rule: try row.decode(forColumn: "rule"), currency: try row.decode(forColumn: "currency"),
                    amount: try row.decode(forColumn: "amount"))
            }
        }
    }
}
