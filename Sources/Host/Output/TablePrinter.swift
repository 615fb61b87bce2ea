import Engine

/// `--format table`: a row per event, then the partner figures per partner and currency
/// (SPEC §5.1: payments, rewarded, spend, cashback funded by the partner and by the bank, the
/// clawbacks of each, net) and the orphans still waiting for their payment.
struct TablePrinter: DecisionPrinter {
    private var figures = PartnerFigureTable()
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
        figures.add(decision)
    }

    private static let summary = TextTable(widths: [16, 9, 9, 9, 14, 15, 12, 18, 15, 12])

    mutating func finish(unresolvedOrphans: [Orphan], to output: inout OutputBuffer) {
        output.line("")
        output.line("Summary by partner and currency")
        output.line(
            TablePrinter.summary.row([
                "PARTNER", "CURRENCY", "PAYMENTS", "REWARDED", "SPEND", "PARTNER-FUNDED", "BANK-FUNDED", "PARTNER CLAWBACKS",
                "BANK CLAWBACKS", "NET",
            ]))
        for (key, entry) in figures.sorted {
            let money = { (units: Int128) in DecimalAmount.format(units, digits: key.currency.minorDigits) }
            output.line(
                TablePrinter.summary.row([
                    key.partner ?? "(none)", key.currency.code, String(entry.payments), String(entry.rewarded),
                    money(entry.spend), money(entry.partnerFunded), money(entry.bankFunded), money(entry.partnerClawbacks),
                    money(entry.bankClawbacks), money(entry.net),
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
