import Engine
import GRDB

/// What a batch adds to `partner_totals`, a partner's running statistics per currency: the
/// payments attributed to it (how many, how many rewarded, their spend) and the lines of its
/// own rules (cashback awarded, clawbacks). Written in the batch's transaction.
struct PartnerTotals {
    private struct Key: Hashable {
        let partner: String
        let currency: String
    }

    private struct Figures {
        var payments = 0
        var rewarded = 0
        var spend = 0
        var cashback = 0
        var clawbacks = 0
    }

    private var figures: [Key: Figures] = [:]

    /// Counts a stored decision: a payment attributed to a partner, with its amount.
    mutating func add(_ decision: Decision) {
        guard decision.carriesAmounts, let partner = decision.partner, let currency = decision.currency,
            let amount = decision.paymentAmount
        else { return }
        figures[Key(partner: partner, currency: currency.code), default: Figures()].payments += 1
        figures[Key(partner: partner, currency: currency.code), default: Figures()].spend += amount
        if decision.status == .rewarded {
            figures[Key(partner: partner, currency: currency.code), default: Figures()].rewarded += 1
        }
    }

    /// Counts a ledger line when it is one of `partner`'s own rules'.
    mutating func addLine(partner: String?, rule: String, currency: String, amount: Int) {
        guard let partner, rule.hasPrefix(partner + "/") else { return }
        if amount > 0 {
            figures[Key(partner: partner, currency: currency), default: Figures()].cashback += amount
        } else {
            figures[Key(partner: partner, currency: currency), default: Figures()].clawbacks += amount
        }
    }

    /// Each partner and currency the batch counted, with what it adds: payments, rewarded, spend,
    /// cashback, clawbacks.
    var additions: [(partner: String, currency: String, added: [Int])] {
        figures.map { key, added in
            (key.partner, key.currency, [added.payments, added.rewarded, added.spend, added.cashback, added.clawbacks])
        }
    }

    func write(to db: Database) throws {
        let upsert = try db.cachedStatement(
            sql: """
                INSERT INTO partner_totals (partner, currency, payments, rewarded, spend, cashback, clawbacks)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (partner, currency) DO UPDATE SET
                  payments = payments + excluded.payments, rewarded = rewarded + excluded.rewarded,
                  spend = spend + excluded.spend, cashback = cashback + excluded.cashback,
                  clawbacks = clawbacks + excluded.clawbacks
                """)
        for (partner, currency, added) in additions {
            try upsert.forEachRow(binding: [.text(partner), .text(currency)] + added.map(BoundValue.integer)) { _ in }
        }
    }
}
