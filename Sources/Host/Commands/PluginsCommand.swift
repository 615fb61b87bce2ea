import ArgumentParser
import BuiltinPlugins
import Engine

/// `cashback plugins`: the condition and reward kinds, each with a line and an example.
struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins", abstract: "List plugin kinds with a one-line description and an example.")

    func run() {
        let registry = PluginRegistry.builtin
        var output = OutputBuffer()
        output.line("Conditions (when:)")
        for kind in registry.conditions.keys.sorted() {
            let plugin = registry.conditions[kind]!
            output.line("  \(kind.padding(toLength: 15, withPad: " ", startingAt: 0)) \(plugin.summary)")
            output.line("  \(String(repeating: " ", count: 15)) e.g. - \(plugin.example)")
        }
        output.line("Rewards (reward:)")
        for kind in registry.rewards.keys.sorted() {
            let plugin = registry.rewards[kind]!
            output.line("  \(kind.padding(toLength: 15, withPad: " ", startingAt: 0)) \(plugin.summary)")
            output.line("  \(String(repeating: " ", count: 15)) e.g. reward: { \(plugin.example) }")
        }
        output.flush()
    }
}
