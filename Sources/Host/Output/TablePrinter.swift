import Engine

/// `--format table`: a row per event, then a summary per partner and currency (events,
/// rewarded, spend, cashback) and the orphans still waiting for their payment.
struct TablePrinter: DecisionPrinter {
    private struct SummaryKey: Hashable, Comparable {
        let partner: String
        let currency: String
        static func < (lhs: SummaryKey, rhs: SummaryKey) -> Bool { (lhs.partner, lhs.currency) < (rhs.partner, rhs.currency) }
    }

    /// Sums of many amounts are `Int128`: millions of payments of 10^12 minor units pass `Int.max`.
    private struct Totals {
        var events = 0
        var rewarded = 0
        var spend: Int128 = 0
        var cashback: Int128 = 0
        var digits = 2
    }

    private var totals: [SummaryKey: Totals] = [:]
    private var statusCounts: [Decision.Status: Int] = [:]
    private var wroteHeader = false
    private static let table = TextTable(widths: [16, 9, 12, 10, 18, 9, 12])

    mutating func print(_ decision: Decision, to output: inout OutputBuffer) {
        if !wroteHeader {
            output.line(
                TablePrinter.table.row(["EVENT", "TYPE", "ACCOUNT", "STATUS", "PARTNER", "CURRENCY", "CASHBACK", "DETAIL"]))
            wroteHeader = true
        }
        statusCounts[decision.status, default: 0] += 1
        var detail = decision.lines.map { "\($0.rule) \(decision.currency?.format($0.amount) ?? "")" }.joined(separator: ", ")
        if decision.deferred { detail = "deferred " + detail }
        if let warning = decision.warning { detail += " (\(warning))" }
        if let error = decision.error {
            detail = (decision.origin.line.map { "line \($0): " } ?? "") + error
        }
        let amounts = decision.carriesAmounts
        output.line(
            TablePrinter.table.row([
                decision.eventID ?? "-", decision.kind?.rawValue ?? "-", decision.account ?? "-", decision.status.rawValue,
                amounts ? decision.partner ?? "-" : "", amounts ? decision.currency?.code ?? "" : "",
                amounts ? decision.currency?.format(decision.cashback) ?? "" : "", detail,
            ]))
        if amounts, let currency = decision.currency {
            let key = SummaryKey(partner: decision.partner ?? "(none)", currency: currency.code)
            var entry = totals[key] ?? Totals()
            entry.digits = currency.minorDigits
            entry.events += 1
            if decision.status == .rewarded { entry.rewarded += 1 }
            entry.spend += Int128(decision.paymentAmount ?? 0)
            entry.cashback += Int128(decision.cashback)
            totals[key] = entry
        }
    }

    mutating func finish(unresolvedOrphans: [Orphan], to output: inout OutputBuffer) {
        output.line("")
        output.line("Summary by partner and currency")
        output.line(TablePrinter.table.row(["PARTNER", "CURRENCY", "EVENTS", "REWARDED", "SPEND", "CASHBACK"]))
        for (key, entry) in totals.sorted(by: { $0.key < $1.key }) {
            output.line(
                TablePrinter.table.row([
                    key.partner, key.currency, String(entry.events), String(entry.rewarded),
                    DecimalAmount.format(entry.spend, digits: entry.digits),
                    DecimalAmount.format(entry.cashback, digits: entry.digits),
                ]))
        }
        let counts = Decision.Status.allCases.compactMap { status in statusCounts[status].map { "\(status.rawValue) \($0)" } }
        output.line("")
        output.line("Decisions: " + (counts.isEmpty ? "none" : counts.joined(separator: ", ")))
        if !unresolvedOrphans.isEmpty {
            let names = unresolvedOrphans.map { "\($0.event.id) (waiting for \($0.originalID))" }.sorted()
            output.line("Unresolved orphans: " + names.joined(separator: ", "))
        }
    }
}
