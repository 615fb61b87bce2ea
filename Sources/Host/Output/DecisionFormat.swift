import ArgumentParser
import Engine
import Reports

/// How decisions are printed: JSON Lines for machines, CSV for spreadsheets, a table for people.
enum DecisionFormat: String, ExpressibleByArgument, CaseIterable {
    case json, csv, table

    /// A printer of this format writing to `output`.
    func printer(explain: Bool) -> any DecisionPrinter {
        switch self {
        case .json: return JSONLinesPrinter(explain: explain)
        case .csv: return CSVPrinter()
        case .table: return TablePrinter()
        }
    }
}

/// Prints decisions one by one, then whatever closes the output (a summary).
protocol DecisionPrinter {
    mutating func print(_ decision: Decision, to output: inout OutputBuffer)
    mutating func finish(unresolvedOrphans: [Orphan], to output: inout OutputBuffer)
}

/// `--format json`: one decision per line and nothing else (SPEC §5).
struct JSONLinesPrinter: DecisionPrinter {
    let explain: Bool
    private var writer = JSONWriter()

    init(explain: Bool) { self.explain = explain }

    mutating func print(_ decision: Decision, to output: inout OutputBuffer) {
        writer.reset()
        decision.writeJSONLine(to: &writer, includeTrace: explain)
        output.line(writer.bytes)
    }

    mutating func finish(unresolvedOrphans: [Orphan], to output: inout OutputBuffer) {}
}

/// `--format csv`: a header, then one row per decision.
struct CSVPrinter: DecisionPrinter {
    private var wroteHeader = false

    mutating func print(_ decision: Decision, to output: inout OutputBuffer) {
        if !wroteHeader {
            output.line("file,line,event,type,account,status,partner,currency,cashback,lines,deferred,warning,error")
            wroteHeader = true
        }
        let amounts = decision.carriesAmounts
        let fields: [String] = [
            decision.origin.file ?? "",
            decision.status == .invalid ? decision.origin.line.map(String.init) ?? "" : "",
            decision.eventID ?? "",
            decision.kind?.rawValue ?? "",
            decision.account ?? "",
            decision.status.rawValue,
            decision.partner ?? "",
            amounts ? decision.currency?.code ?? "" : "",
            amounts ? decision.currency?.format(decision.cashback) ?? "" : "",
            decision.lines.map { "\($0.rule)=\(decision.currency?.format($0.amount) ?? "")" }.joined(separator: ";"),
            decision.deferred ? "true" : "",
            decision.warning ?? "",
            decision.error ?? "",
        ]
        output.line(fields.map(CSVText.escape).joined(separator: ","))
    }

    mutating func finish(unresolvedOrphans: [Orphan], to output: inout OutputBuffer) {}
}
