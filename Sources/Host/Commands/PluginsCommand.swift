import ArgumentParser
import BuiltinPlugins
import Engine

/// `cashback plugins`: the condition and reward kinds, each with a line and an example.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins", abstract: "List plugin kinds with a one-line description and an example.")

    func run() {
        let registry = PluginRegistry.builtin
        let table = TextTable(widths: [2, 16])
        var output = OutputBuffer()
        output.line("Conditions (when:)")
        for (kind, plugin) in registry.conditions.sorted(by: { $0.key < $1.key }) {
            output.line(table.row(["", kind, plugin.summary]))
            output.line(table.row(["", "", "e.g. - \(plugin.example)"]))
        }
        output.line("Rewards (reward:)")
        for (kind, plugin) in registry.rewards.sorted(by: { $0.key < $1.key }) {
            output.line(table.row(["", kind, plugin.summary]))
            output.line(table.row(["", "", "e.g. reward: { \(plugin.example) }"]))
        }
        output.flush()
    }
}
