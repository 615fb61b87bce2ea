import ArgumentParser
import BuiltinPlugins
import Engine
import Foundation

/// `cashback schema`: the JSON Schema of rule files, for editors.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the JSON Schema (draft 2020-12) of rule files, assembled from the plugins.")

    func run() throws {
        let compact = Data(PluginRegistry.builtin.ruleFileSchema.jsonText.utf8)
        let pretty = try JSONSerialization.data(
            withJSONObject: try JSONSerialization.jsonObject(with: compact),
            options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        var output = OutputBuffer()
        output.line(String(decoding: pretty, as: UTF8.self))
        output.flush()
    }
}
