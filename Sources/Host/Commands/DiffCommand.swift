import ArgumentParser
import BuiltinPlugins
import Engine
import Foundation
import Store

/// `cashback diff --base DIR [--rules DIR] FILE…` (or `--db FILE`): the same events under two
/// rule sets with the full sequential semantics, caps and budgets included.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff", abstract: "Replay events under a base and a new rule set and show what changes.")

    @Option(help: "The base rules directory (usually what is live).")
    var base: String

    @Option(help: "The new rules directory.")
    var rules = "rules"

    @Option(help: "Replay the events stored in this database's queue instead of files.")
    var db: String?

    @Option(help: "Output format: table or json.")
    var format: DiffFormat = .table

    @Option(help: "How many changed events to show.")
    var show = 20

    @Flag(help: "Include the traces of changed events (json).")
    var explain = false

    @Argument(help: "JSON Lines files of events; - reads standard input.")
    var files: [String] = []

    enum DiffFormat: String, ExpressibleByArgument {
        case table, json
    }

    func validate() throws {
        guard (db == nil) != files.isEmpty else { throw ValidationError("name events files or --db, not both") }
        guard show >= 0 else { throw ValidationError("--show must be 0 or more") }
    }

    func run() async throws {
        let pipeline = EvaluationPipeline(evaluators: [
            Evaluator(rules: try RulesDirectory.load(base), explain: explain),
            Evaluator(rules: try RulesDirectory.load(rules), explain: explain),
        ])
        var comparison = RulesComparison(keepChanges: show)
        var progress = Progress()
        do {
            let events = try await EventsToEvaluate(files: files, db: db).source()
            // A plugin that keeps failing gives a `dead` decision, counted and shown like any
            // other change.
            _ = try pipeline.run(read: events.read, expectedCount: events.expectedCount) { decisions in
                comparison.add(base: decisions[0], candidate: decisions[1])
                progress.tick("diff")
            }
        } catch {
            progress.finish()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        progress.finish()
        var output = OutputBuffer()
        switch format {
        case .table: DiffReport.table(comparison, to: &output)
        case .json: output.line(DiffReport.json(comparison, explain: explain))
        }
        output.flush()
    }
}
