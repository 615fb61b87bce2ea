import PostgresNIO

/// The ledger and credits feed in PostgreSQL, inside the leader's batch transaction. Ids and
/// cursors are numbered here, after the largest committed (the transaction holds the lease
/// row's lock, so no other writer numbers at the same time): the feed has no gap.
///
/// Round trips are what cost here, so what a batch changes waits in memory: new lines,
/// confirmations and feed entries are written by `flush`, in three statements, before anything
/// reads the tables again and at the end of the batch. The pending lines of the payments a
/// batch's clawbacks take back from are read in one query, with what earlier clawbacks netted
/// from them (`preparePendingLines`), so a clawback that confirms a line already due costs no
/// round trip. Due lines are confirmed a thousand at a time in three statements (`confirmAll`).
final class PostgresLedgerTable: LedgerTable {
    private let session: PostgresSession
    private var nextID: Int64?
    private var nextCursor: Int64?
    /// Lines inserted and not yet written, with what `pendingLine` matches them by.
    private var lines: [[BoundValue]] = []
    private var linesByKey: [PendingKey: PendingLine] = [:]
    /// The pending lines of payments read ahead, by payment and rule; `nil` for those not read.
    private var prepared: [PendingKey: PendingLine] = [:]
    private var preparedPayments: Set<String> = []
    /// What the written clawbacks net from the pending lines known here, by line id.
    private var writtenNetting: [Int64: Int] = [:]
    /// What the clawbacks not yet written net, by the line they reduce.
    private var unwrittenNetting: [Int64: Int] = [:]
    /// Lines confirmed here (pending no more), and those not yet written as confirmed.
    private var confirmed: Set<Int64> = []
    private var confirmations: [Int64] = []
    /// Feed entries appended, not yet written.
    private var feed: [(ledgerID: Int64, amount: Int, dueAt: Int64)] = []

    private struct PendingKey: Hashable {
        let paymentID: String
        let account: String
        let rule: String
    }

    init(session: PostgresSession) {
        self.session = session
    }

    /// Reads in one query the pending lines of the payments `clawbacks` (account and original
    /// payment id each) take back from.
    func preparePendingLines(of clawbacks: [(account: String, paymentID: String)]) throws {
        guard !clawbacks.isEmpty else { return }
        try flush()
        let rows = try session.rows(
            """
            SELECT id, amount, confirm_at, \(PostgresLedgerTable.nettedColumn), event_id, account, rule FROM ledger
            WHERE account = ANY($1) AND event_id = ANY($2) AND amount > 0 AND original_event_id IS NULL
              AND status = 'pending'
            """, [.texts(Array(Set(clawbacks.map(\.account)))), .texts(Array(Set(clawbacks.map(\.paymentID))))])
        for row in rows {
            let key = PendingKey(paymentID: try row.column(4), account: try row.column(5), rule: try row.column(6))
            prepared[key] = try knownPendingLine(row)
        }
        preparedPayments.formUnion(clawbacks.map(\.paymentID))
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
        if let eventID = line.eventID, line.amount > 0, line.originalEventID == nil, !line.isConfirmed {
            linesByKey[PendingKey(paymentID: eventID, account: line.account, rule: line.rule)] = PendingLine(
                id: id, amount: line.amount, confirmAt: line.confirmAt)
            writtenNetting[id] = 0
        }
        if let nets = line.netsLedgerID { unwrittenNetting[nets, default: 0] += line.amount }
        return id
    }

    /// Writes what waits in memory: the new lines, then the confirmations, then the feed's
    /// entries (which name lines).
    func flush() throws {
        if !lines.isEmpty {
            try session.insert(
                into: """
                    ledger (id, decision_position, event_id, account, partner, rule, currency, amount, occurred_at, confirm_at,
                            status, rules_version, original_event_id, nets_ledger_id)
                    """, rows: lines)
            lines = []
            for (key, line) in linesByKey { prepared[key] = line }
            preparedPayments.formUnion(linesByKey.keys.map(\.paymentID))
            linesByKey = [:]
            for (id, amount) in unwrittenNetting where writtenNetting[id] != nil { writtenNetting[id]! += amount }
            unwrittenNetting = [:]
        }
        if !confirmations.isEmpty {
            try session.execute(
                "UPDATE ledger SET status = 'confirmed' WHERE id = ANY($1) OR nets_ledger_id = ANY($1)",
                [.integers(confirmations)])
            confirmations = []
        }
        try appendToFeed(feed)
        feed = []
    }

    /// What the clawbacks netting a line add up to, as a column of a query on `ledger`.
    private static let nettedColumn =
        "(SELECT COALESCE(SUM(netting.amount), 0)::bigint FROM ledger netting WHERE netting.nets_ledger_id = ledger.id)"

    /// A pending line from a row of `id, amount, confirm_at, netted`, whose netting is then known.
    private func knownPendingLine(_ row: PostgresRow) throws -> PendingLine {
        let line = PendingLine(
            id: try row.column(0), amount: Int(try row.column(1, as: Int64.self)), confirmAt: try row.column(2))
        writtenNetting[line.id] = Int(try row.column(3, as: Int64.self))
        return line
    }

    func pendingLine(of paymentID: String, account: String, rule: String) throws -> PendingLine? {
        let key = PendingKey(paymentID: paymentID, account: account, rule: rule)
        if let line = linesByKey[key] ?? prepared[key] { return confirmed.contains(line.id) ? nil : line }
        if preparedPayments.contains(paymentID) { return nil }
        try flush()
        return try session.rows(
            """
            SELECT id, amount, confirm_at, \(PostgresLedgerTable.nettedColumn) FROM ledger
            WHERE account = $1 AND event_id = $2 AND rule = $3 AND amount > 0 AND original_event_id IS NULL
              AND status = 'pending'
            """, [.text(account), .text(paymentID), .text(rule)]
        ).first.map(knownPendingLine)
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
        if let written = writtenNetting[id] { return written + (unwrittenNetting[id] ?? 0) }
        try flush()
        let sum: Int64? = try session.rows(
            "SELECT SUM(amount)::bigint FROM ledger WHERE nets_ledger_id = $1", [.integer(id)])[0].column(0)
        return Int(sum ?? 0)
    }

    func confirm(_ id: Int64) throws {
        confirmations.append(id)
        confirmed.insert(id)
    }

    func appendToFeed(ledgerID: Int64, amount: Int, dueAt: Int64) throws {
        feed.append((ledgerID, amount, dueAt))
    }

    /// Three statements however many lines: what the clawbacks took from each, the status of
    /// the lines and their clawbacks, and the feed's entries in ledger order.
    func confirmAll(_ due: [PendingLine]) throws {
        guard !due.isEmpty else { return }
        try flush()
        let ids = due.map(\.id)
        var netted: [Int64: Int] = [:]
        for row in try session.rows(
            "SELECT nets_ledger_id, SUM(amount)::bigint FROM ledger WHERE nets_ledger_id = ANY($1) GROUP BY nets_ledger_id",
            [.integers(ids)])
        {
            netted[try row.column(0)] = Int(try row.column(1, as: Int64.self))
        }
        try session.execute(
            "UPDATE ledger SET status = 'confirmed' WHERE id = ANY($1) OR nets_ledger_id = ANY($1)", [.integers(ids)])
        confirmed.formUnion(ids)
        try appendToFeed(
            due.compactMap { line in
                let left = line.amount + (netted[line.id] ?? 0)
                return left == 0 ? nil : (line.id, left, line.confirmAt)
            })
    }

    private func appendToFeed(_ entries: [(ledgerID: Int64, amount: Int, dueAt: Int64)]) throws {
        guard !entries.isEmpty else { return }
        var cursor = try nextCursor ?? session.rows("SELECT COALESCE(MAX(cursor), 0) + 1 FROM credits")[0].column(0)
        var rows: [[BoundValue]] = []
        for entry in entries {
            rows.append([
                .integer(cursor), .integer(entry.ledgerID), .text(entry.amount > 0 ? "credit" : "debit"),
                .integer(entry.amount), .integer(entry.dueAt),
            ])
            cursor += 1
        }
        nextCursor = cursor
        try session.insert(into: "credits (cursor, ledger_id, kind, amount, due_at)", rows: rows)
    }
}
