import ArgumentParser
import BuiltinPlugins
import Engine

/// `cashback lint [DIR]`: checks a rules directory and prints every problem.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint", abstract: "Check a rules directory; prints file:line:col: error: … for every problem.")

    @Argument(help: "The rules directory.")
    var directory = "rules"

    func run() throws {
        let outcome = RuleLoader(registry: .builtin).load(directory: directory)
        var output = OutputBuffer()
        for diagnostic in outcome.diagnostics { output.line(diagnostic.description) }
        if let rules = outcome.rules {
            let ruleCount = rules.partners.reduce(rules.program.rules.count) { $0 + $1.rules.count }
            output.line("\(directory): ok: \(rules.partners.count) partners, \(ruleCount) rules, version \(rules.version)")
        } else {
            let errors = outcome.diagnostics.filter { $0.severity == .error }.count
            output.line("\(directory): \(errors) error\(errors == 1 ? "" : "s")")
        }
        output.flush()
        if outcome.rules == nil { throw ExitCode(ExitStatus.rulesInvalid) }
    }
}
