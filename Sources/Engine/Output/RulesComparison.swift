/// The same events under two rule sets, side by side: per partner and currency figures
/// (`PartnerFigures`), and the events whose decisions changed. `cashback diff` prints it.
package struct RulesComparison: Sendable {
    /// One partner and currency under both rule sets.
    package struct Row: Sendable, Equatable {
        /// The partner id, `nil` for payments attributed to none.
        package let partner: String?
        package let currency: Currency
        package var base = PartnerFigures()
        package var candidate = PartnerFigures()

        /// `candidate − base` net cashback, in minor units.
        package var delta: Int128 { candidate.net - base.net }

        /// The delta as a percentage of the base with two decimals (`"+12.50%"`), `nil` when the
        /// base is zero.
        package var deltaPercent: String? {
            guard base.net != 0 else { return nil }
            let (scaled, overflow) = delta.multipliedReportingOverflow(by: 10_000)
            guard !overflow else { return nil }
            // Hundredths of a percent, halves away from zero.
            let divisor = Int128(base.net.magnitude)
            var hundredths = scaled / divisor
            if (scaled % divisor).magnitude * 2 >= divisor.magnitude { hundredths += scaled < 0 ? -1 : 1 }
            return (hundredths >= 0 ? "+" : "") + DecimalAmount.format(hundredths, digits: 2) + "%"
        }
    }

    /// An event whose decisions differ.
    package struct Change: Sendable {
        package let eventID: String
        package let base: SmallArray<Decision>
        package let candidate: SmallArray<Decision>
    }

    private struct Key: Hashable {
        let partner: String?
        let currency: String
    }

    private var rows: [Key: Row] = [:]
    /// The first changes, in event order (at most `keepChanges`).
    package private(set) var changes: [Change] = []
    /// How many events changed in all.
    package private(set) var changedCount = 0
    package let keepChanges: Int

    package init(keepChanges: Int) { self.keepChanges = keepChanges }

    /// Adds one event's decisions under the base and the candidate rules.
    package mutating func add(base: SmallArray<Decision>, candidate: SmallArray<Decision>) {
        // Equal decisions print the same line; others are compared by their lines (a trace, or
        // anything else a line leaves out, does not make a change).
        var same = base.count == candidate.count
        for index in 0..<max(base.count, candidate.count) {
            // Each decision read once: a decision is large, and every read copies it.
            let baseDecision = index < base.count ? base[index] : nil
            let candidateDecision = index < candidate.count ? candidate[index] : nil
            tally(baseDecision, candidateDecision)
            if same, let baseDecision, let candidateDecision, baseDecision != candidateDecision {
                same = baseDecision.jsonLine(includeTrace: false) == candidateDecision.jsonLine(includeTrace: false)
            }
        }
        guard !same else { return }
        changedCount += 1
        if changes.count < keepChanges {
            changes.append(
                Change(eventID: base.first?.eventID ?? candidate.first?.eventID ?? "", base: base, candidate: candidate))
        }
    }

    /// Counts a decision of each side (either may be missing) in the totals of its partner and
    /// currency: one lookup for a pair that falls in the same row, as most do.
    private mutating func tally(_ base: Decision?, _ candidate: Decision?) {
        let baseAmounts = base?.amounts
        let candidateAmounts = candidate?.amounts
        if let base, let candidate, let baseAmounts, let candidateAmounts,
            baseAmounts.partner == candidateAmounts.partner, baseAmounts.currency == candidateAmounts.currency
        {
            update(row: baseAmounts) { row in
                row.base.add(base, partner: baseAmounts.partner)
                row.candidate.add(candidate, partner: candidateAmounts.partner)
            }
            return
        }
        if let base, let baseAmounts {
            update(row: baseAmounts) { $0.base.add(base, partner: baseAmounts.partner) }
        }
        if let candidate, let candidateAmounts {
            update(row: candidateAmounts) { $0.candidate.add(candidate, partner: candidateAmounts.partner) }
        }
    }

    /// Changes the row of the amounts' partner and currency, made empty when there is none.
    private mutating func update(row amounts: Decision.Amounts, _ change: (inout Row) -> Void) {
        let key = Key(partner: amounts.partner, currency: amounts.currency.code)
        change(&rows[key, default: Row(partner: amounts.partner, currency: amounts.currency)])
    }

    /// The rows, by partner (none last) then currency.
    package var sortedRows: [Row] {
        rows.values.sorted { ($0.partner ?? "\u{10FFFF}", $0.currency.code) < ($1.partner ?? "\u{10FFFF}", $1.currency.code) }
    }
}
