import BuiltinPlugins
import Engine
import Foundation
import PluginTestSupport
import Testing

/// Every registered kind, walked from the registry (a new kind is covered without editing a
/// list): the example that `cashback plugins` prints and the one its doc comment shows load
/// without diagnostics, and its schema is an object the rule files' schema can embed.
@Suite struct BuiltinPluginsTests {
    static let registry = PluginRegistry.builtin

    @Test(arguments: registry.conditions.keys.sorted())
    func conditionExampleLoadsAsAWhenItem(kind: String) throws {
        let plugin = try #require(Self.registry.conditions[kind])
        // Programme rules accept every condition kind (`partner` makes sense only there).
        expectExampleLoads(kind: kind, example: plugin.example, asProgramRule: true)
    }

    @Test(arguments: registry.rewards.keys.sorted())
    func rewardExampleLoadsAsAReward(kind: String) throws {
        let plugin = try #require(Self.registry.rewards[kind])
        expectExampleLoads(kind: kind, example: plugin.example, isReward: true)
    }

    @Test(arguments: registry.allKinds)
    func docCommentExampleLoads(kind: String) throws {
        let condition: (any ConditionPlugin.Type)? = Self.registry.conditions[kind]
        let type: Any.Type = try #require(condition.map { $0 as Any.Type } ?? Self.registry.rewards[kind].map { $0 as Any.Type })
        let (folder, file) = try Self.sourceFile(of: type)
        try expectDocCommentExampleLoads(folder: folder, file: file, asProgramRule: Self.registry.conditions[kind] != nil)
    }

    @Test(arguments: registry.allKinds)
    func summaryIsOneLine(kind: String) throws {
        let summary = Self.registry.conditions[kind]?.summary ?? Self.registry.rewards[kind]?.summary ?? ""
        #expect(!summary.isEmpty && !summary.contains("\n"))
    }

    /// The plugin module folder and file that declare `type` (`Sources/Plugins/<folder>/<Type>.swift`).
    static func sourceFile(of type: Any.Type) throws -> (folder: String, file: String) {
        let file = "\(String(describing: type)).swift"
        let plugins = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/Plugins")
        let folders = try FileManager.default.contentsOfDirectory(atPath: plugins.path).sorted()
        let folder = try #require(
            folders.first { FileManager.default.fileExists(atPath: plugins.appendingPathComponent("\($0)/\(file)").path) },
            "no Sources/Plugins/*/\(file)")
        return (folder, file)
    }
}
