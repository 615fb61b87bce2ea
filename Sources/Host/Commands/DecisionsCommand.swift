import ArgumentParser
import Engine
import Store

/// `cashback decisions --db FILE [--format …]`: the stored decisions in processing order, in
/// the dry-run formats.
struct DecisionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decisions", abstract: "Print the stored decisions in processing order, in the dry-run formats.")

    @Option(help: ArgumentHelp(DatabaseArgument.help))
    var db = DatabaseArgument.defaultValue

    @Option(help: "Output format: json, csv or table.")
    var format: DecisionFormat = .json

    @Flag(help: "Include each decision's trace (json).")
    var explain = false

    func run() throws {
        let store = try DatabaseArgument.open(db, access: .readOnly)
        // Check every page first, so a damaged file fails before a line is printed.
        try store.check()
        var output = OutputBuffer()
        var printer = format.printer(explain: explain)
        try store.forEachDecision { stored in
            if format == .json {
                output.line(explain ? stored.jsonWithTrace : stored.json)
            } else if let decision = Decision(storedJSON: stored.json, paymentAmount: stored.paymentAmount) {
                printer.print(decision, to: &output)
            }
        }
        if format != .json { printer.finish(unresolvedOrphans: [], to: &output) }
        output.flush()
    }
}
