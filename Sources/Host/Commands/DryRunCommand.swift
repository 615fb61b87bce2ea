import ArgumentParser
import BuiltinPlugins
import Engine
import Foundation
import Store

/// `cashback dry-run`: evaluates events from files (or a database's queue) in a fresh in-memory
/// state and prints a decision per event.
struct DryRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dry-run",
        abstract: "Evaluate events from JSON Lines files (or - for stdin) in a fresh in-memory state.")

    @Option(help: "The rules directory.")
    var rules = "rules"

    @Option(help: "Output format: json, csv or table.")
    var format: DecisionFormat = .table

    @Flag(help: "Add a trace to each decision: rules considered, limits applied, failed conditions.")
    var explain = false

    @Flag(help: "Exit 3 when any event is invalid.")
    var strict = false

    @Option(help: "Evaluate the events stored in this database's queue, in queue order, instead of files.")
    var db: String?

    @Argument(help: "JSON Lines files of events; - reads standard input.")
    var files: [String] = []

    func validate() throws {
        guard (db == nil) != files.isEmpty else {
            throw ValidationError("name events files (or - for standard input) or --db, not both")
        }
    }

    func run() async throws {
        let pipeline = EvaluationPipeline(evaluators: [Evaluator(rules: try RulesDirectory.load(rules), explain: explain)])
        var printer = format.printer(explain: explain)
        var output = OutputBuffer()
        var progress = Progress()
        var invalidCount = 0
        let unresolvedOrphans: [Orphan]
        do {
            let events = try await EventsToEvaluate(files: files, db: db).source()
            unresolvedOrphans = try pipeline.run(read: events.read, expectedCount: events.expectedCount) { decisions in
                for decision in decisions[0] {
                    if decision.status == .invalid { invalidCount += 1 }
                    printer.print(decision, to: &output)
                }
                progress.tick("dry-run")
            }[0]
        } catch {
            output.flush()
            progress.finish()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        progress.finish()
        printer.finish(unresolvedOrphans: unresolvedOrphans, to: &output)
        output.flush()
        if strict && invalidCount > 0 { throw ExitCode(ExitStatus.strictInvalidEvents) }
    }
}

/// Loading a rules directory for a command: diagnostics go to standard error and the command
/// exits 1 when the rules are invalid.
enum RulesDirectory {
    static func load(_ directory: String) throws -> RuleSet { try loadOutcome(directory).rules }

    /// The rules and the files they came from (for the stored snapshot of their version).
    static func loadOutcome(_ directory: String) throws -> (rules: RuleSet, sources: [RuleSource]) {
        let outcome = RuleLoader(registry: .builtin).load(directory: directory)
        guard let rules = outcome.rules else {
            let text = outcome.diagnostics.map(\.description).joined(separator: "\n")
            FileHandle.standardError.write(Data((text + "\n").utf8))
            throw ExitCode(ExitStatus.rulesInvalid)
        }
        return (rules, outcome.sources)
    }
}
