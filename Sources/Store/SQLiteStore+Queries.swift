import Engine
import GRDB

/// What the API says of one event id.
package enum EventStatus: Sendable, Equatable {
    /// Accepted, not processed yet.
    case queued
    /// Processed: its decision (JSON with trace) and the rules version that made it.
    case processed(decision: String, rulesVersion: String)
    /// A refund or reversal waiting for its original payment.
    case orphan(decision: String)
    /// A plugin kept failing on it.
    case dead(error: String)
}

/// An account's balances in one currency, in minor units.
package struct AccountBalance: Sendable, Equatable {
    package let currency: String
    package let pending: Int
    package let confirmed: Int
}

/// A ledger line as the account view lists it.
package struct LedgerLine: Sendable, Equatable {
    package let eventID: String
    package let partner: String?
    package let rule: String
    package let currency: String
    package let amount: Int
    package let status: String
    package let occurredAt: Int64
    package let rulesVersion: String
}

/// A partner's figures in one currency, in minor units.
package struct PartnerStats: Sendable, Equatable {
    package let currency: String
    package let figures: PartnerFigures

    /// The figures from `partner_totals`' values, in `PartnerTotals.columns`' order.
    init(currency: String, stored values: [Int]) {
        var figures = PartnerFigures()
        (figures.payments, figures.rewarded) = (values[0], values[1])
        (figures.spend, figures.partnerFunded, figures.partnerClawbacks) = (
            Int128(values[2]), Int128(values[3]), Int128(values[4])
        )
        (figures.bankFunded, figures.bankClawbacks) = (Int128(values[5]), Int128(values[6]))
        self.currency = currency
        self.figures = figures
    }
}

extension SQLiteStore {
    /// The status of an event id, `nil` when the id was never accepted.
    package func status(ofEvent id: String) async throws -> EventStatus? {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.status, d.json, d.trace, d.packed, d.payment_amount, v.version AS rules_version
                    FROM decisions d JOIN rules_versions v ON v.id = d.rules_version
                    WHERE d.event_id = ? ORDER BY d.position
                    """,
                arguments: [id])
            var strings = StringLookup(db: db)
            // The event's own decision: the last that is not about a later copy of its id.
            let own = rows.last { !["duplicate", "conflict"].contains($0["status"] as String) }
            if let own {
                let stored = try StoredDecision(row: own, strings: &strings)
                if own["status"] as String == "orphan" { return .orphan(decision: stored.jsonWithTrace) }
                return .processed(decision: stored.jsonWithTrace, rulesVersion: own["rules_version"])
            }
            if let error = try String.fetchOne(
                db, sql: "SELECT error FROM dead WHERE event_id = ? ORDER BY queue_seq DESC LIMIT 1", arguments: [id])
            {
                return .dead(error: error)
            }
            let queued =
                try Bool.fetchOne(
                    db,
                    sql: "SELECT 1 FROM queue WHERE event_id = ? AND seq > (SELECT processed_through FROM progress) LIMIT 1",
                    arguments: [id]) ?? false
            if queued { return .queued }
            if let first = rows.first {
                return .processed(
                    decision: try StoredDecision(row: first, strings: &strings).json, rulesVersion: first["rules_version"])
            }
            return nil
        }
    }

    /// An account's balances per currency and its most recent ledger lines.
    package func account(_ id: String, recent: Int) async throws -> (balances: [AccountBalance], lines: [LedgerLine]) {
        try await pool.read { db in
            let balances = try Row.fetchAll(
                db,
                sql: """
                    SELECT currency,
                           COALESCE(SUM(CASE WHEN status = 'pending' THEN amount END), 0) AS pending,
                           COALESCE(SUM(CASE WHEN status = 'confirmed' THEN amount END), 0) AS confirmed
                    FROM ledger WHERE account = ? GROUP BY currency ORDER BY currency
                    """,
                arguments: [id]
            ).map { AccountBalance(currency: $0["currency"], pending: $0["pending"], confirmed: $0["confirmed"]) }
            let lines = try Row.fetchAll(
                db,
                sql: """
                    SELECT l.event_id, l.partner, l.rule, l.currency, l.amount, l.status, l.occurred_at,
                           v.version AS rules_version
                    FROM ledger l JOIN rules_versions v ON v.id = l.rules_version
                    WHERE l.account = ? ORDER BY l.id DESC LIMIT ?
                    """,
                arguments: [id, recent]
            ).map {
                LedgerLine(
                    eventID: $0["event_id"], partner: $0["partner"], rule: $0["rule"], currency: $0["currency"],
                    amount: $0["amount"], status: $0["status"], occurredAt: $0["occurred_at"], rulesVersion: $0["rules_version"])
            }
            return (balances, lines)
        }
    }

    /// A partner's statistics per currency: payments, rewarded, spend, its own rules' cashback
    /// and clawbacks, and its budget usage.
    package func budgetUse(ofPartner id: String, currency: String, fromDay: Int64) async throws -> [Int64: Int] {
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT day, budget_used FROM partner_days WHERE partner = ? AND currency = ? AND day >= ?",
                arguments: [id, currency, fromDay]
            ).map { row -> (Int64, Int) in (try row.decode(atIndex: 0), try row.decode(atIndex: 1)) }
        }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    package func stats(ofPartner id: String) async throws -> [PartnerStats] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT currency, \(PartnerTotals.columns.joined(separator: ", ")) FROM partner_totals
                    WHERE partner = ? ORDER BY currency
                    """,
                arguments: [id]
            ).map { row in
                PartnerStats(
                    currency: try row.decode(atIndex: 0),
                    stored: try PartnerTotals.columns.indices.map { try row.decode(Int.self, atIndex: $0 + 1) })
            }
        }
    }

    /// The oldest unprocessed event's acceptance time, for the processing lag.
    package func oldestQueuedAcceptance() async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT accepted_at FROM queue WHERE seq > (SELECT processed_through FROM progress) ORDER BY seq LIMIT 1"
            )
        }
    }

    /// Whether the database takes a write (for readiness).
    package func isWritable() async -> Bool {
        guard damage == nil else { return false }
        do {
            try await pool.write { db in try db.execute(sql: "UPDATE progress SET processed_through = processed_through") }
            return true
        } catch {
            return false
        }
    }
}
