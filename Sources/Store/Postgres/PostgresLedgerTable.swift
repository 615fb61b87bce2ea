/// The ledger and credits feed in PostgreSQL, inside the leader's batch transaction. Ids and
/// cursors are numbered here, after the largest committed (the transaction holds the lease
/// row's lock, so no other writer numbers at the same time): the feed has no gap. New lines wait
/// in memory and go in one insert, before anything reads or changes the ledger and at the end.
final class PostgresLedgerTable: LedgerTable {
    private let session: PostgresSession
    private var nextID: Int64?
    private var nextCursor: Int64?
    private var lines: [[BoundValue]] = []

    init(session: PostgresSession) {
        self.session = session
    }

    func insert(_ line: NewLedgerLine) throws -> Int64 {
        let id = try nextID ?? session.rows("SELECT COALESCE(MAX(id), 0) + 1 FROM ledger")[0].column(0)
        nextID = id + 1
        lines.append([
            .integer(id), .integer(line.decisionPosition), .text(line.eventID), .text(line.account), .text(line.partner),
            .text(line.rule), .text(line.currency), .integer(line.amount), .integer(line.occurredAt),
            .integer(line.confirmAt), .text(line.isConfirmed ? "confirmed" : "pending"), .integer(line.rulesVersion),
            .text(line.originalEventID), .integer(line.netsLedgerID),
        ])
        return id
    }

    /// Writes the lines waiting in memory.
    func flush() throws {
        guard !lines.isEmpty else { return }
        try session.insert(
            into: """
                ledger (id, decision_position, event_id, account, partner, rule, currency, amount, occurred_at, confirm_at,
                        status, rules_version, original_event_id, nets_ledger_id)
                """, rows: lines)
        lines = []
    }

    func pendingLine(of paymentID: String, account: String, rule: String) throws -> PendingLine? {
        try flush()
        return try session.rows(
            """
            SELECT id, amount, confirm_at FROM ledger
            WHERE account = $1 AND event_id = $2 AND rule = $3 AND amount > 0 AND original_event_id IS NULL
              AND status = 'pending'
            """, [.text(account), .text(paymentID), .text(rule)]
        ).first.map {
            PendingLine(id: try $0.column(0), amount: Int(try $0.column(1, as: Int64.self)), confirmAt: try $0.column(2))
        }
    }

    func dueLines(at now: Int64, limit: Int) throws -> [PendingLine] {
        try flush()
        return try session.rows(
            """
            SELECT id, amount, confirm_at FROM ledger
            WHERE status = 'pending' AND confirm_at <= $1 AND nets_ledger_id IS NULL ORDER BY id LIMIT $2
            """, [.integer(now), .integer(limit)]
        ).map { PendingLine(id: try $0.column(0), amount: Int(try $0.column(1, as: Int64.self)), confirmAt: try $0.column(2)) }
    }

    func nettedAmount(of id: Int64) throws -> Int {
        try flush()
        let sum: Int64? = try session.rows(
            "SELECT SUM(amount)::bigint FROM ledger WHERE nets_ledger_id = $1", [.integer(id)])[0].column(0)
        return Int(sum ?? 0)
    }

    func confirm(_ id: Int64) throws {
        try flush()
        try session.execute(
            "UPDATE ledger SET status = 'confirmed' WHERE id = $1 OR nets_ledger_id = $1", [.integer(id)])
    }

    func appendToFeed(ledgerID: Int64, amount: Int, dueAt: Int64) throws {
        try flush()
        let cursor = try nextCursor ?? session.rows("SELECT COALESCE(MAX(cursor), 0) + 1 FROM credits")[0].column(0)
        nextCursor = cursor + 1
        try session.execute(
            "INSERT INTO credits (cursor, ledger_id, kind, amount, due_at) VALUES ($1, $2, $3, $4, $5)",
            [.integer(cursor), .integer(ledgerID), .text(amount > 0 ? "credit" : "debit"), .integer(amount), .integer(dueAt)])
    }
}
