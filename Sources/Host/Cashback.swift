import ArgumentParser
import Engine

/// The `cashback` command: lint rules, dry-run events, list plugins, run the durable queue.
struct Cashback: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cashback",
        abstract: "A cashback rules engine: YAML partner and programme rules, exact to the cent.",
        version: Cashback.version,
        subcommands: [
            LintCommand.self, DryRunCommand.self, PluginsCommand.self, EnqueueCommand.self, ProcessCommand.self,
            DecisionsCommand.self, DeadCommand.self, CheckCommand.self, ExplainCommand.self, DiffCommand.self, SchemaCommand.self,
            StatementCommand.self, ReportCommand.self, GenerateCommand.self,
            ServeCommand.self,
        ]
    )

    /// The release, printed by `cashback --version`.
    static let version = "0.3.0"
}
