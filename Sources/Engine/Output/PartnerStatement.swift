/// One of a partner's own ledger entries that money moves for: a payment's line credited once it
/// is confirmed (net of what clawbacks took from it while it was pending), or a clawback debited
/// because its line was confirmed already.
package struct StatementEntry: Sendable, Equatable {
    /// `partner/rule`.
    package let rule: String
    package let currency: Currency
    /// Positive for a credit, negative for a debit.
    package let amount: Int
    /// When it became payable: the later of the line's due time and the processing of its
    /// decision (a payment processed after its refund window is payable when processed).
    package let payableAt: Timestamp
    /// The rules version whose evaluation made the line.
    package let rulesVersion: String

    package init(rule: String, currency: Currency, amount: Int, payableAt: Timestamp, rulesVersion: String) {
        self.rule = rule
        self.currency = currency
        self.amount = amount
        self.payableAt = payableAt
        self.rulesVersion = rulesVersion
    }
}

/// The monthly statement the bank sends a partner: the cashback the partner funds that became
/// payable in a calendar month of its time zone, the clawbacks debited in it, and the net
/// amount due, per currency, per rule and per day, with the rules versions that made them.
package struct PartnerStatement: Sendable {
    /// Credits, clawbacks and net of one group of entries.
    package struct Sums: Sendable, Equatable {
        package var credits = 0
        package var clawbacks = 0
        package var net: Int { credits + clawbacks }

        mutating func add(_ amount: Int) {
            if amount > 0 { credits += amount } else { clawbacks += amount }
        }
    }

    /// One currency's statement.
    package struct CurrencySection: Sendable {
        package let currency: Currency
        package var total = Sums()
        package var rules: [String: Sums] = [:]
        package var days: [CivilDate: Sums] = [:]
    }

    package let partner: String
    package let year: Int
    package let month: Int
    package let zone: Zone
    /// Whether the month has ended: then the statement no longer changes.
    package let isClosed: Bool
    package private(set) var sections: [String: CurrencySection] = [:]
    /// The rules versions of the entries, in the order they first made one.
    package private(set) var rulesVersions: [String] = []

    /// The statement of `entries` payable in `year`-`month` of `zone` and by `now`; closed when
    /// `now` is past the month's end.
    package init(
        partner: String, year: Int, month: Int, zone: Zone, entries: [StatementEntry], now: Timestamp
    ) {
        self.partner = partner
        self.year = year
        self.month = month
        self.zone = zone
        let today = zone.localTime(now).date
        isClosed = (today.year, today.month) > (year, month)
        for entry in entries.sorted(by: { $0.payableAt < $1.payableAt }) where entry.amount != 0 && entry.payableAt <= now {
            let date = zone.localTime(entry.payableAt).date
            guard date.year == year, date.month == month else { continue }
            sections[entry.currency.code, default: CurrencySection(currency: entry.currency)].total.add(entry.amount)
            sections[entry.currency.code]?.rules[entry.rule, default: Sums()].add(entry.amount)
            sections[entry.currency.code]?.days[date, default: Sums()].add(entry.amount)
            if !rulesVersions.contains(entry.rulesVersion) { rulesVersions.append(entry.rulesVersion) }
        }
    }

    /// `YYYY-MM`.
    package var monthText: String { CivilDate(year: year, month: month, day: 1)?.description.prefix(7).description ?? "" }

    /// The currencies, by code.
    package var sortedSections: [CurrencySection] { sections.values.sorted { $0.currency.code < $1.currency.code } }

    /// The year and month of `YYYY-MM`, if it is one.
    package static func month(of text: String) -> (year: Int, month: Int)? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
            (1...12).contains(month), CivilDate(year: year, month: month, day: 1) != nil
        else { return nil }
        return (year, month)
    }

    /// The UTC instants that surely contain the month whatever the zone (a day more each side):
    /// what a store reads before the statement keeps the month's own.
    package static func window(year: Int, month: Int) -> (from: Timestamp, until: Timestamp)? {
        guard let first = CivilDate(year: year, month: month, day: 1),
            let next = month == 12 ? CivilDate(year: year + 1, month: 1, day: 1) : CivilDate(year: year, month: month + 1, day: 1)
        else { return nil }
        let day: Int64 = 86_400
        return (
            Timestamp(epochSeconds: Int64(first.daysSinceEpoch) * day - day),
            Timestamp(epochSeconds: Int64(next.daysSinceEpoch) * day + day)
        )
    }
}
