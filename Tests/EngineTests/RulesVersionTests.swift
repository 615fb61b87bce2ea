import BuiltinPlugins
import Engine
import Testing

/// The rules version is the SHA-256 of the files' relative paths and bytes: a known answer
/// (from `printf 'program.yaml\0currency: EUR\n\0' | sha256sum`), and any change of path or
/// byte changes it.
@Suite struct RulesVersionTests {
    static func version(_ files: [(String, String)]) throws -> String {
        let sources = files.map { RuleSource(relativePath: $0.0, displayPath: "rules/" + $0.0, text: $0.1) }
        return try #require(RuleLoader(registry: .builtin).load(sources: sources).rules).version
    }

    @Test func isTheSHA256OfPathsAndBytes() throws {
        #expect(
            try Self.version([("program.yaml", "currency: EUR\n")])
                == "3e976ff5fb54a6328bdadb4b84494d9b4d1cbe297cca3fb9026e19737dc16e87")
    }

    @Test func changesWithAnyPathOrByte() throws {
        let base = try Self.version([("program.yaml", "currency: EUR\n")])
        #expect(try Self.version([("program.yaml", "currency: EUR\n\n")]) != base)
        #expect(try Self.version([("program.yaml", "currency:  EUR\n")]) != base)
        let partner = "partner: shop\nmatch: { name: [\"SHOP*\"] }\nrules:\n  - id: r\n    reward: { percentage: 1% }\n"
        #expect(
            try Self.version([("partners/a.yaml", partner)]) != Self.version([("partners/b.yaml", partner)]), "the path counts")
    }
}
