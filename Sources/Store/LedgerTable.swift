/// A ledger line to insert.
struct NewLedgerLine {
    let decisionPosition: Int64
    let eventID: String?
    let account: String
    let partner: String?
    let rule: String
    let currency: String
    let amount: Int
    let occurredAt: Int64
    let confirmAt: Int64
    let isConfirmed: Bool
    let rulesVersion: Int64
    let originalEventID: String?
    /// The pending line a clawback reduces.
    let netsLedgerID: Int64?
}

/// A pending ledger line and when it falls due.
struct PendingLine {
    let id: Int64
    let amount: Int
    let confirmAt: Int64
}

/// The ledger and the credits feed as `LedgerWriter` changes them, inside the caller's
/// transaction: each backend's tables.
protocol LedgerTable {
    /// Inserts `line`; returns its id.
    func insert(_ line: NewLedgerLine) throws -> Int64
    /// The payment's pending line for `rule` (among its account's), if it is still pending.
    func pendingLine(of paymentID: String, account: String, rule: String) throws -> PendingLine?
    /// Up to `limit` pending lines due at `now` that no clawback nets, in ledger order.
    func dueLines(at now: Int64, limit: Int) throws -> [PendingLine]
    /// What the clawbacks netting line `id` add up to (zero or negative).
    func nettedAmount(of id: Int64) throws -> Int
    /// Marks line `id` and the clawbacks netting it confirmed.
    func confirm(_ id: Int64) throws
    /// Appends an entry for line `ledgerID` to the credits feed.
    func appendToFeed(ledgerID: Int64, amount: Int, dueAt: Int64) throws
    /// Confirms each of `lines` (in ledger order) with the clawbacks that reduced it, and credits
    /// what is left of it (nothing when nothing is).
    func confirmAll(_ lines: [PendingLine]) throws
}

extension LedgerTable {
    /// Confirms `line` with the clawbacks that reduced it, and credits what is left.
    func confirmWithNetting(_ line: PendingLine) throws {
        let left = line.amount + (try nettedAmount(of: line.id))
        try confirm(line.id)
        if left != 0 { try appendToFeed(ledgerID: line.id, amount: left, dueAt: line.confirmAt) }
    }

    /// One line after the other.
    func confirmAll(_ lines: [PendingLine]) throws {
        for line in lines { try confirmWithNetting(line) }
    }
}
