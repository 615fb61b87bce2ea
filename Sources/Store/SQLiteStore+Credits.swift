import Engine
import GRDB

/// One entry of the credits feed (SPEC §4.3): money the core banking system applies exactly
/// once.
package struct Credit: Sendable, Equatable {
    /// Money to pay into the account, or to take back from it.
    package enum Kind: String, Sendable, DatabaseValueConvertible {
        case credit, debit
    }

    package let cursor: Int64
    package let kind: Kind
    /// The ledger line the entry concerns: a payment's line for a credit, a clawback's for a debit.
    package let ledgerLine: Int64
    /// The event of that line.
    package let eventID: String
    /// The payment a debit takes back from; `nil` for a credit.
    package let originalID: String?
    package let account: String
    package let partner: String?
    package let rule: String
    package let currency: String
    /// Minor units: positive for a credit, negative for a debit.
    package let amount: Int
    /// When the entry became due: a credit when its line confirmed, a debit when its clawback
    /// was processed.
    package let dueAt: Timestamp
}

extension SQLiteStore {
    /// Confirms every ledger line due at `now`, in ledger order: each is credited with what the
    /// clawbacks processed while it was pending left of it. Returns how many lines confirmed.
    @discardableResult
    package func confirmDue(now: Timestamp) async throws -> Int {
        try await pool.write { db in try LedgerWriter(table: SQLiteLedgerTable(db: db), now: now).confirmDue() }
    }

    /// The credits feed's identity: 32 hex digits fixed when the database was created.
    package func feedID() async throws -> String {
        try await pool.read { db in
            guard let id = try String.fetchOne(db, sql: "SELECT id FROM feed") else {
                throw StoreError(.notCashback, path: path, "the credits feed has no identity")
            }
            return id
        }
    }

    /// The credits feed after `cursor`, at most `limit` entries, in cursor order.
    package func credits(after cursor: Int64, limit: Int) async throws -> [Credit] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT c.cursor, c.kind, c.ledger_id, l.event_id, l.original_event_id, l.account, l.partner, l.rule,
                           l.currency, c.amount, c.due_at
                    FROM credits c JOIN ledger l ON l.id = c.ledger_id
                    WHERE c.cursor > ? ORDER BY c.cursor LIMIT ?
                    """,
                arguments: [cursor, limit]
            ).map { row in
                Credit(
                    cursor: try row.decode(forColumn: "cursor"), kind: try row.decode(forColumn: "kind"),
                    ledgerLine: try row.decode(forColumn: "ledger_id"), eventID: try row.decode(forColumn: "event_id"),
                    originalID: try row.decode(forColumn: "original_event_id"), account: try row.decode(forColumn: "account"),
                    partner: try row.decode(forColumn: "partner"), rule: try row.decode(forColumn: "rule"),
                    currency: try row.decode(forColumn: "currency"), amount: try row.decode(forColumn: "amount"),
                    dueAt: Timestamp(epochSeconds: try row.decode(forColumn: "due_at")))
            }
        }
    }
}
