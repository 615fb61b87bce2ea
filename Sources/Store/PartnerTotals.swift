import Engine
import GRDB

/// What a batch adds to `partner_totals`, each partner's running figures per currency
/// (`PartnerFigures`, SPEC §5.1): the payments attributed to it (how many, how many rewarded,
/// their spend), the cashback its own rules and the programme awarded on them, and the
/// clawbacks of each; and the budget its own lines used that day (`partner_days`). Written in
/// the batch's transaction.
struct PartnerTotals {
    private struct Key: Hashable {
        let partner: String
        let currency: String
    }

    private var figures: [Key: PartnerFigures] = [:]
    /// The day of processing (UTC days since 1970) the batch's budget use counts for.
    private let day: Int64

    init(processedAt now: Timestamp) {
        day = now.epochSeconds / 86_400
    }

    /// The stored columns, in the order of `additions`' values.
    static let columns = ["payments", "rewarded", "spend", "cashback", "clawbacks", "bank_cashback", "bank_clawbacks"]

    /// Counts a stored decision attributed to a partner: a payment, or a clawback of one.
    mutating func add(_ decision: Decision) {
        guard let amounts = decision.amounts, let partner = amounts.partner else { return }
        figures[Key(partner: partner, currency: amounts.currency.code), default: PartnerFigures()].add(
            decision, partner: partner)
    }

    /// Each partner and currency the batch counted, with what it adds to each of `columns`.
    /// (A batch's sums are far from `Int`'s bounds: at most thousands of lines of 10^12.)
    var additions: [(partner: String, currency: String, added: [Int])] {
        figures.map { key, added in
            let values = [
                Int128(added.payments), Int128(added.rewarded), added.spend, added.partnerFunded, added.partnerClawbacks,
                added.bankFunded, added.bankClawbacks,
            ]
            return (key.partner, key.currency, values.map { Int(clamping: $0) })
        }
    }

    /// The upsert that adds `additions`' values to the stored ones (SQLite and PostgreSQL alike).
    static let upsertSuffix =
        "ON CONFLICT (partner, currency) DO UPDATE SET "
        + columns.map { "\($0) = partner_totals.\($0) + excluded.\($0)" }.joined(separator: ", ")

    /// The day rows the batch adds to: partner, currency, day, budget used.
    var dayAdditions: [[BoundValue]] {
        figures.compactMap { key, added in
            added.budgetUsed == 0
                ? nil : [.text(key.partner), .text(key.currency), .integer(day), .integer(Int(clamping: added.budgetUsed))]
        }
    }

    /// The upsert that adds `dayAdditions` to the stored days.
    static let daySuffix =
        "ON CONFLICT (partner, currency, day) DO UPDATE SET budget_used = partner_days.budget_used + excluded.budget_used"

    func write(to db: Database) throws {
        let upsert = try db.cachedStatement(
            sql: "INSERT INTO partner_totals (partner, currency, \(PartnerTotals.columns.joined(separator: ", "))) "
                + "VALUES (?, ?, \(PartnerTotals.columns.map { _ in "?" }.joined(separator: ", "))) "
                + PartnerTotals.upsertSuffix)
        for (partner, currency, added) in additions {
            try upsert.forEachRow(binding: [.text(partner), .text(currency)] + added.map(BoundValue.integer)) { _ in }
        }
        let dayUpsert = try db.cachedStatement(
            sql: "INSERT INTO partner_days (partner, currency, day, budget_used) VALUES (?, ?, ?, ?) " + PartnerTotals.daySuffix)
        for row in dayAdditions { try dayUpsert.forEachRow(binding: row) { _ in } }
    }
}
