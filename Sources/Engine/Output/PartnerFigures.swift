/// A partner's figures in one currency, as SPEC §5.1 defines them for every summary, statistic,
/// report and statement: payments attributed to the partner, rewarded payments, spend, cashback
/// funded by the partner (its own rules' lines) and by the bank on those payments (programme
/// lines), the clawbacks of each, net, and budget used. Refunds and reversals count as
/// clawbacks, never as payments. Sums are `Int128`: no number of events (each line at most
/// 10^12 minor units) overflows them.
package struct PartnerFigures: Sendable, Equatable {
    package var payments = 0
    package var rewarded = 0
    package var spend: Int128 = 0
    /// The partner's own rules' lines on its payments.
    package var partnerFunded: Int128 = 0
    /// Programme lines on the partner's payments.
    package var bankFunded: Int128 = 0
    /// The partner's own rules' lines of clawbacks (zero or negative).
    package var partnerClawbacks: Int128 = 0
    /// Programme lines of clawbacks of the partner's payments (zero or negative).
    package var bankClawbacks: Int128 = 0

    package init() {}

    /// Funded plus clawbacks.
    package var net: Int128 { partnerFunded + bankFunded + partnerClawbacks + bankClawbacks }

    /// What counts against the partner's budget: its own lines net of clawbacks.
    package var budgetUsed: Int128 { partnerFunded + partnerClawbacks }

    /// Counts a decision attributed to `partner` (`nil` for none: every line is then the bank's).
    package mutating func add(_ decision: Decision, partner: String?) {
        guard let amounts = decision.amounts else { return }
        let isClawback = decision.status == .clawback
        if !isClawback, let spent = amounts.paymentAmount {
            payments += 1
            spend += Int128(spent)
            if decision.status == .rewarded { rewarded += 1 }
        }
        for line in amounts.lines {
            let own = partner.map { line.rule.hasPrefix($0 + "/") } ?? false
            switch (own, isClawback) {
            case (true, false): partnerFunded += Int128(line.amount)
            case (false, false): bankFunded += Int128(line.amount)
            case (true, true): partnerClawbacks += Int128(line.amount)
            case (false, true): bankClawbacks += Int128(line.amount)
            }
        }
    }

    /// Adds `other`'s figures to these.
    package mutating func add(_ other: PartnerFigures) {
        payments += other.payments
        rewarded += other.rewarded
        spend += other.spend
        partnerFunded += other.partnerFunded
        bankFunded += other.bankFunded
        partnerClawbacks += other.partnerClawbacks
        bankClawbacks += other.bankClawbacks
    }
}

/// `PartnerFigures` for every partner (or none) and currency a run of decisions touched.
package struct PartnerFigureTable: Sendable, Equatable {
    /// One partner and currency.
    package struct Key: Hashable, Sendable, Comparable {
        /// The partner id; `nil` for payments attributed to none.
        package let partner: String?
        package let currency: Currency

        package init(partner: String?, currency: Currency) {
            self.partner = partner
            self.currency = currency
        }

        /// By partner (none last), then currency.
        package static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.partner ?? "\u{10FFFF}", lhs.currency.code) < (rhs.partner ?? "\u{10FFFF}", rhs.currency.code)
        }
    }

    package private(set) var figures: [Key: PartnerFigures] = [:]

    package init() {}

    /// Counts a decision under its partner and currency (decisions without money count nowhere).
    package mutating func add(_ decision: Decision) {
        guard let amounts = decision.amounts else { return }
        figures[Key(partner: amounts.partner, currency: amounts.currency), default: PartnerFigures()].add(
            decision, partner: amounts.partner)
    }

    /// The rows, by partner (none last) then currency.
    package var sorted: [(key: Key, figures: PartnerFigures)] {
        figures.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }
}

extension JSONWriter {
    /// Writes `figures` as members of the object being written, amounts in `currency`.
    package mutating func partnerFigures(_ figures: PartnerFigures, currency: Currency) {
        int("payments", figures.payments)
        int("rewarded", figures.rewarded)
        string("spend", currency.format(figures.spend))
        string("partner_funded", currency.format(figures.partnerFunded))
        string("bank_funded", currency.format(figures.bankFunded))
        string("partner_clawbacks", currency.format(figures.partnerClawbacks))
        string("bank_clawbacks", currency.format(figures.bankClawbacks))
        string("net", currency.format(figures.net))
    }
}
