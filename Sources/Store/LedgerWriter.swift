import Engine
import GRDB

/// Writes decisions' lines into the ledger and confirmed money into the credits feed, inside
/// the caller's transaction (SPEC §4.3).
///
/// Money never paid out is never taken back: a clawback of a line still pending at `now`
/// reduces that line (it confirms with it, and the feed credits only what is left); a clawback
/// of a confirmed line is a debit, confirmed and in the feed at once.
struct LedgerWriter {
    let db: Database
    /// The time of processing: what is due at or before it is confirmed.
    let now: Timestamp

    /// Records a reward's or a clawback's lines, made by the rules version numbered
    /// `rulesVersion`, for the decision stored at `position`, and counts them in `totals`.
    func record(
        _ decision: Decision, position: Int64, confirmAfter: Int64, rulesVersion: Int64, totals: inout PartnerTotals
    ) throws {
        guard let currency = decision.currency, let occurredAt = decision.occurredAt, let account = decision.account
        else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO ledger (decision_position, event_id, account, partner, rule, currency, amount, occurred_at,
                                    confirm_at, status, rules_version, original_event_id, nets_ledger_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for line in decision.lines {
            var confirmAt = occurredAt.epochSeconds + confirmAfter
            var status = "pending"
            var nets: Int64?
            if let originalID = decision.originalID {
                let original = try pendingLine(of: originalID, account: account, rule: line.rule)
                if let original, original.confirmAt > now.epochSeconds {
                    (confirmAt, nets) = (original.confirmAt, original.id)
                } else {
                    // The original line is confirmed, or fell due before this clawback: confirm it
                    // first if the sweep has not yet, then debit.
                    if let original { try confirm(original) }
                    (confirmAt, status) = (now.epochSeconds, "confirmed")
                }
            }
            try insert.run(
                .integer(position), .text(decision.eventID), .text(account), .text(decision.partner), .text(line.rule),
                .text(currency.code), .integer(line.amount), .integer(occurredAt.epochSeconds), .integer(confirmAt),
                .text(status), .integer(rulesVersion), .text(decision.originalID), .integer(nets))
            totals.addLine(partner: decision.partner, rule: line.rule, currency: currency.code, amount: line.amount)
            if status == "confirmed" {
                try appendToFeed(ledgerID: db.lastInsertedRowID, amount: line.amount, dueAt: confirmAt)
            }
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
            let due = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, amount, confirm_at FROM ledger
                        WHERE status = 'pending' AND confirm_at <= ? AND nets_ledger_id IS NULL ORDER BY id LIMIT 1000
                        """),
                arguments: [now.epochSeconds])
            for row in due {
                try confirm(
                    PendingLine(
                        id: try row.decode(forColumn: "id"), amount: try row.decode(forColumn: "amount"),
                        confirmAt: try row.decode(forColumn: "confirm_at")))
            }
            confirmed += due.count
            if due.count < 1000 { return confirmed }
        }
    }

    /// A pending line and when it falls due.
    private struct PendingLine {
        let id: Int64
        let amount: Int
        let confirmAt: Int64
    }

    /// The original payment's pending line for `rule`, if it is still pending. The payment's
    /// lines are found among its account's (a clawback's account is its payment's).
    private func pendingLine(of paymentID: String, account: String, rule: String) throws -> PendingLine? {
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT id, amount, confirm_at FROM ledger
                    WHERE account = ? AND event_id = ? AND rule = ? AND amount > 0 AND original_event_id IS NULL
                      AND status = 'pending'
                    """),
            arguments: [account, paymentID, rule]
        ).map {
            PendingLine(
                id: try $0.decode(forColumn: "id"), amount: try $0.decode(forColumn: "amount"),
                confirmAt: try $0.decode(forColumn: "confirm_at"))
        }
    }

    /// Confirms `line` with the clawbacks that reduced it, and credits what is left (nothing
    /// when nothing is).
    private func confirm(_ line: PendingLine) throws {
        let netted =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT SUM(amount) FROM ledger WHERE nets_ledger_id = ?"), arguments: [line.id]) ?? 0
        try db.cachedStatement(sql: "UPDATE ledger SET status = 'confirmed' WHERE id = ?").execute(arguments: [line.id])
        try db.cachedStatement(sql: "UPDATE ledger SET status = 'confirmed' WHERE nets_ledger_id = ?").execute(
            arguments: [line.id])
        let left = line.amount + netted
        if left != 0 { try appendToFeed(ledgerID: line.id, amount: left, dueAt: line.confirmAt) }
    }

    private func appendToFeed(ledgerID: Int64, amount: Int, dueAt: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO credits (ledger_id, kind, amount, due_at) VALUES (?, ?, ?, ?)").execute(
            arguments: [ledgerID, amount > 0 ? "credit" : "debit", amount, dueAt])
    }
}
