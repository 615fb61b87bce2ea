/// What `cashback report` shows of a run of decisions: the partner figures, the cashback per rule,
/// each partner's cashback per local day, and the accounts whose payments a limit cut most often.
package struct ReportData: Sendable {
    package private(set) var figures = PartnerFigureTable()
    /// Net line amounts per currency code, then per rule.
    package private(set) var rules: [String: [String: Int128]] = [:]
    /// Net cashback per partner (or none) and currency, per day of the partner's time zone.
    package private(set) var days: [PartnerFigureTable.Key: [CivilDate: Int128]] = [:]
    /// How many of each account's decisions a limit cut.
    package private(set) var capped: [String: Int] = [:]

    package init() {}

    /// Counts a decision that happened at `occurredAt`, dated in `zone`; `wasCapped` when a
    /// limit cut one of its amounts.
    package mutating func add(_ decision: Decision, occurredAt: Timestamp?, zone: Zone, wasCapped: Bool) {
        figures.add(decision)
        guard let amounts = decision.amounts else { return }
        for line in amounts.lines { rules[amounts.currency.code, default: [:]][line.rule, default: 0] += Int128(line.amount) }
        if let occurredAt, !amounts.lines.isEmpty {
            let key = PartnerFigureTable.Key(partner: amounts.partner, currency: amounts.currency)
            days[key, default: [:]][zone.localTime(occurredAt).date, default: 0] += Int128(amounts.cashback)
        }
        if wasCapped, let account = decision.account { capped[account, default: 0] += 1 }
    }

    /// The accounts a limit cut most often (then by id), at most `count`.
    package func mostCapped(_ count: Int) -> [(account: String, times: Int)] {
        capped.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(count).map { ($0.key, $0.value) }
    }
}

extension Trace {
    /// Whether a limit cut an amount: a rule's, the partner's or the programme's.
    package var anyLimitCut: Bool {
        (rules.flatMap(\.limits) + partnerLimits + programLimits).contains { $0.after < $0.before }
    }
}
