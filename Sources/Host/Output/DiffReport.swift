import Engine

/// How `cashback diff` prints a comparison.
enum DiffReport {
    static func table(_ comparison: RulesComparison, to output: inout OutputBuffer) {
        let row = TextTable(widths: [18, 9, 15, 15, 14, 14, 12, 10]).row
        output.line(row(["PARTNER", "CURRENCY", "PAYMENTS b/n", "REWARDED b/n", "NET base", "NET new", "DELTA", "DELTA %"]))
        for entry in comparison.sortedRows {
            let currency = entry.currency
            output.line(
                row([
                    entry.partner ?? "(none)", currency.code, "\(entry.base.payments)/\(entry.candidate.payments)",
                    "\(entry.base.rewarded)/\(entry.candidate.rewarded)", currency.format(entry.base.net),
                    currency.format(entry.candidate.net), signed(currency.format(entry.delta), entry.delta),
                    entry.deltaPercent ?? "-",
                ]))
        }
        output.line("")
        output.line(
            "\(comparison.changedCount) event\(comparison.changedCount == 1 ? "" : "s") changed"
                + (comparison.changedCount > comparison.changes.count
                    ? "; the first \(comparison.changes.count):" : (comparison.changedCount > 0 ? ":" : "")))
        for change in comparison.changes {
            output.line("  \(change.eventID)")
            output.line("    base: " + change.base.map(summary).joined(separator: " | "))
            output.line("    new:  " + change.candidate.map(summary).joined(separator: " | "))
        }
    }

    static func json(_ comparison: RulesComparison, explain: Bool) -> String {
        var text = #"{"partners":["#
        for (index, entry) in comparison.sortedRows.enumerated() {
            if index > 0 { text += "," }
            let currency = entry.currency
            var writer = JSONWriter()
            writer.beginObject()
            writer.optionalString("partner", entry.partner)
            writer.string("currency", currency.code)
            for (name, figures) in [("base", entry.base), ("rules", entry.candidate)] {
                writer.beginObject(name)
                writer.partnerFigures(figures, currency: currency)
                writer.endObject()
            }
            writer.string("delta", currency.format(entry.delta))
            writer.optionalString("delta_percent", entry.deltaPercent)
            writer.endObject()
            text += writer.text
        }
        text += #"],"changed":\#(comparison.changedCount),"events":["#
        for (index, change) in comparison.changes.enumerated() {
            if index > 0 { text += "," }
            var event = ""
            JSONWriter.appendString(change.eventID, to: &event)
            text +=
                #"{"event":"# + event + #","base":["#
                + change.base.map { $0.jsonLine(includeTrace: explain) }.joined(separator: ",") + #"],"rules":["#
                + change.candidate.map { $0.jsonLine(includeTrace: explain) }.joined(separator: ",") + "]}"
        }
        return text + "]}"
    }

    /// A decision in a few words: its status, cashback and lines.
    static func summary(_ decision: Decision) -> String {
        var text = decision.status.rawValue
        if decision.carriesAmounts, let currency = decision.currency {
            text += " \(currency.format(decision.cashback)) \(currency.code)"
            if !decision.lines.isEmpty {
                text += " (" + decision.lines.map { "\($0.rule) \(currency.format($0.amount))" }.joined(separator: ", ") + ")"
            }
        }
        return text
    }

    private static func signed(_ text: String, _ value: Int128) -> String { value > 0 ? "+" + text : text }
}
