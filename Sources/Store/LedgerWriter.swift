import Engine
import GRDB

/// Writes decisions' lines into the ledger and confirmed money into the credits feed, inside
/// the caller's transaction (SPEC §4.3).
///
/// Money never paid out is never taken back: a clawback of a line still pending at `now`
/// reduces that line (it confirms with it, and the feed credits only what is left); a clawback
/// of a confirmed line is a debit, confirmed and in the feed at once.
struct LedgerWriter {
    let table: any LedgerTable
    /// The time of processing: what is due at or before it is confirmed.
    let now: Timestamp

    /// Records a reward's or a clawback's lines, made by the rules version numbered
    /// `rulesVersion`, for the decision stored at `position`.
    func record(
        _ decision: Decision, position: Int64, confirmAfter: Int64, rulesVersion: Int64
    ) throws {
        guard let currency = decision.currency, let occurredAt = decision.occurredAt, let account = decision.account
        else { return }
        for line in decision.lines {
            var confirmAt = occurredAt.epochSeconds + confirmAfter
            var isConfirmed = false
            var nets: Int64?
            if let originalID = decision.originalID {
                let original = try table.pendingLine(of: originalID, account: account, rule: line.rule)
                if let original, original.confirmAt > now.epochSeconds {
                    (confirmAt, nets) = (original.confirmAt, original.id)
                } else {
                    // The original line is confirmed, or fell due before this clawback: confirm it
                    // first if the sweep has not yet, then debit.
                    if let original { try table.confirmWithNetting(original) }
                    (confirmAt, isConfirmed) = (now.epochSeconds, true)
                }
            }
            let id = try table.insert(
                NewLedgerLine(
                    decisionPosition: position, eventID: decision.eventID, account: account, partner: decision.partner,
                    rule: line.rule, currency: currency.code, amount: line.amount, occurredAt: occurredAt.epochSeconds,
                    confirmAt: confirmAt, isConfirmed: isConfirmed, rulesVersion: rulesVersion,
                    originalEventID: decision.originalID, netsLedgerID: nets))
            if isConfirmed { try table.appendToFeed(ledgerID: id, amount: line.amount, dueAt: confirmAt) }
        }
    }

    /// Confirms every line due at `now`, in ledger order, each with the clawbacks that reduced
    /// it; returns how many.
    func confirmDue() throws -> Int {
        var confirmed = 0
        // A thousand at a time: after a long stop (or at the end of a large `process`) hundreds
        // of thousands may be due at once. A confirmed line is not pending any more, so each
        // query finds the next ones.
        while true {
            let due = try table.dueLines(at: now.epochSeconds, limit: 1000)
            try table.confirmAll(due)
            confirmed += due.count
            if due.count < 1000 { return confirmed }
        }
    }
}

/// The ledger's tables in a SQLite database.
struct SQLiteLedgerTable: LedgerTable {
    let db: Database

    func insert(_ line: NewLedgerLine) throws -> Int64 {
        try db.cachedStatement(
            sql: """
                INSERT INTO ledger (decision_position, event_id, account, partner, rule, currency, amount, occurred_at,
                                    confirm_at, status, rules_version, original_event_id, nets_ledger_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).run(
            .integer(line.decisionPosition), .text(line.eventID), .text(line.account), .text(line.partner),
            .text(line.rule), .text(line.currency), .integer(line.amount), .integer(line.occurredAt),
            .integer(line.confirmAt), .text(line.isConfirmed ? "confirmed" : "pending"), .integer(line.rulesVersion),
            .text(line.originalEventID), .integer(line.netsLedgerID))
        return db.lastInsertedRowID
    }

    func pendingLine(of paymentID: String, account: String, rule: String) throws -> PendingLine? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT id, amount, confirm_at FROM ledger
                    WHERE account = ? AND event_id = ? AND rule = ? AND amount > 0 AND original_event_id IS NULL
                      AND status = 'pending'
                    """),
            arguments: [account, paymentID, rule]
        ).map(SQLiteLedgerTable.pendingLine)
    }

    func dueLines(at now: Int64, limit: Int) throws -> [PendingLine] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, amount, confirm_at FROM ledger
                    WHERE status = 'pending' AND confirm_at <= ? AND nets_ledger_id IS NULL ORDER BY id LIMIT ?
                    """),
            arguments: [now, limit]
        ).map(SQLiteLedgerTable.pendingLine)
    }

    private static func pendingLine(_ row: Row) throws -> PendingLine {
        PendingLine(
            id: try row.decode(forColumn: "id"), amount: try row.decode(forColumn: "amount"),
            confirmAt: try row.decode(forColumn: "confirm_at"))
    }

    func nettedAmount(of id: Int64) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT SUM(amount) FROM ledger WHERE nets_ledger_id = ?"), arguments: [id])
            ?? 0
    }

    func confirm(_ id: Int64) throws {
        try db.cachedStatement(sql: "UPDATE ledger SET status = 'confirmed' WHERE id = ?").execute(arguments: [id])
        try db.cachedStatement(sql: "UPDATE ledger SET status = 'confirmed' WHERE nets_ledger_id = ?").execute(arguments: [id])
    }

    func appendToFeed(ledgerID: Int64, amount: Int, dueAt: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO credits (ledger_id, kind, amount, due_at) VALUES (?, ?, ?, ?)").execute(
            arguments: [ledgerID, amount > 0 ? "credit" : "debit", amount, dueAt])
    }
}
