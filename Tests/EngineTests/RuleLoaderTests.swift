import BuiltinPlugins
import Engine
import Testing
import Workload

/// Loading rule files from memory: structure, values read by declared type, diagnostics.
@Suite struct RuleLoaderTests {
    static func load(_ files: [(String, String)]) -> RuleLoader.Outcome {
        RuleLoader(registry: .builtin).load(
            sources: files.map { RuleSource(relativePath: $0.0, displayPath: "rules/" + $0.0, text: $0.1) })
    }

    @Test func readsValuesByDeclaredTypeNotYAML11() throws {
        let outcome = RuleLoaderTests.load([
            (
                "partners/norway.yaml",
                """
                partner: norway
                match:
                  name: [NORSK*]
                  countries: [NO]
                rules:
                  - id: evening
                    when:
                      - time: { from: 18:00, until: 22:00 }
                      - mcc: [0742, 5411-5412]
                    reward: { percentage: 5% }
                """
            )
        ])
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics)")
        let partner = try #require(outcome.rules?.partners.first)
        #expect(partner.match.countries == ["NO"])
    }

    @Test func filesLoadInByteOrderOfTheirRelativePath() throws {
        let file = { (id: String) in
            "partner: \(id)\nmatch: { name: [\"SHOP*\"] }\nrules: [{ id: base, reward: { flat: 1.00 } }]\n"
        }
        let outcome = RuleLoaderTests.load([
            ("partners/a/x.yaml", file("ax")), ("partners/a-b.yaml", file("ab")), ("partners/B.yaml", file("upper")),
        ])
        #expect(outcome.files == ["partners/B.yaml", "partners/a-b.yaml", "partners/a/x.yaml"])
        #expect(outcome.rules?.partners.map(\.id) == ["upper", "ab", "ax"])
    }

    @Test func unknownKindSuggestsTheNearestAndRewardInWhenIsExplained() {
        let outcome = RuleLoaderTests.load([
            (
                "partners/s.yaml",
                """
                partner: s
                match: { mid: [M1] }
                rules:
                  - id: a
                    when:
                      - weekdya: [sat]
                      - percentage: 5%
                    reward: { percentge: 5% }
                """
            )
        ])
        let messages = outcome.diagnostics.map(\.description)
        #expect(
            messages.contains {
                $0.hasPrefix("rules/partners/s.yaml:6:9: error: [s/a]") && $0.contains("did you mean 'weekday'?")
            })
        #expect(
            messages.contains {
                $0.hasPrefix("rules/partners/s.yaml:7:9: error: [s/a]")
                    && $0.contains("'percentage' is a reward, not a condition")
            })
        #expect(
            messages.contains {
                $0.hasPrefix("rules/partners/s.yaml:8:15: error: [s/a]") && $0.contains("did you mean 'percentage'?")
            })
    }

    @Test func requiredKeysAndReservedIds() {
        let outcome = RuleLoaderTests.load([
            ("partners/p.yaml", "partner: program\nmatch: { mid: [M] }\nrules: []\n"),
            ("partners/q.yaml", "partner: q\nrules: []\n"),
            ("partners/r.yaml", "partner: r\nmatch: { countries: [FR] }\nrules: [{ reward: { flat: 1.00 } }]\n"),
        ])
        let messages = outcome.diagnostics.map(\.description)
        #expect(messages.contains { $0.hasPrefix("rules/partners/p.yaml:1:10: error:") && $0.contains("reserved") })
        #expect(messages.contains { $0.hasPrefix("rules/partners/q.yaml:1:1: error: [q] missing required key 'match'") })
        #expect(
            messages.contains {
                $0.hasPrefix("rules/partners/r.yaml:2:8: error: [r]") && $0.contains("at least one of mid, siret, name")
            })
        #expect(
            messages.contains {
                $0.hasPrefix("rules/partners/r.yaml:3:9: error: [r]") && $0.contains("missing required key 'id'")
            })
    }

    @Test func limitShapesAreChecked() {
        let outcome = RuleLoaderTests.load([
            (
                "program.yaml",
                """
                limits:
                  - { per: payment, period: month, max: 1.00 }
                  - { per: payment, count: 1 }
                  - { per: all, period: month }
                  - { per: account, period: fortnight, max: 1.00 }
                """
            )
        ])
        let messages = outcome.diagnostics.map(\.description)
        #expect(messages.count == 4, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("rules/program.yaml:2:29:") && $0.contains("takes no period") })
        #expect(messages.contains { $0.hasPrefix("rules/program.yaml:3:28:") && $0.contains("takes no count") })
        #expect(messages.contains { $0.hasPrefix("rules/program.yaml:4:5:") && $0.contains("needs max, count or both") })
        #expect(
            messages.contains {
                $0.hasPrefix("rules/program.yaml:5:29:") && $0.contains("expected day | week | month | year | lifetime")
            })
    }

    @Test func moneyInACurrencyAnyFileIsAnError() {
        let outcome = RuleLoaderTests.load([
            (
                "partners/any.yaml",
                """
                partner: any-shop
                currency: any
                match: { name: ["ANY*"] }
                budget: 100.00
                rules:
                  - id: base
                    reward: { percentage: 2% }
                """
            )
        ])
        #expect(
            outcome.diagnostics.map(\.description).contains { $0.hasPrefix("rules/partners/any.yaml:4:9: error: [any-shop]") })
    }

    @Test func exactIdentifiersMayNotBeClaimedTwice() {
        let outcome = RuleLoaderTests.load([
            ("partners/a.yaml", "partner: a\nmatch: { siret: [\"55555555500030\"] }\nrules: []\n"),
            ("partners/b.yaml", "partner: b\nmatch: { siret: [\"55555555500030\"] }\nrules: []\n"),
            ("partners/c.yaml", "partner: a\nmatch: { mid: [X] }\nrules: []\n"),
        ])
        let messages = outcome.diagnostics.map(\.description)
        #expect(
            messages.contains {
                $0.contains("siret '55555555500030' is claimed by both rules/partners/a.yaml (a) and rules/partners/b.yaml (b)")
            })
        #expect(messages.contains { $0.contains("partner id 'a' is already used by rules/partners/a.yaml") })
    }

    @Test func versionChangesWithContent() {
        let one = RuleLoaderTests.load([("program.yaml", "rounding: down\n")]).rules?.version
        let two = RuleLoaderTests.load([("program.yaml", "rounding: half-up\n")]).rules?.version
        #expect(one != nil && two != nil && one != two)
        #expect(one == RuleLoaderTests.load([("program.yaml", "rounding: down\n")]).rules?.version)
    }
}

@Suite struct GlobTests {
    @Test(arguments: [
        ("SHOP*", "shop two", true), ("SHOP", "SHOP ONE", false), ("S?OP", "stop", true), ("S?OP", "sop", false),
        ("PAYPAL *", "PAYPAL *SHOP", true), ("PAYPAL *", "PAYPAL X", true), ("*BOUTIQUE*", "la boutique fr", true),
        ("A*B*C", "aXbYc", true), ("A*B*C", "aXbY", false), ("[AB]", "a", false), ("[AB]", "[ab]", true), ("", "", true),
    ])
    func matchesWholeNamesCaseInsensitively(pattern: String, name: String, matches: Bool) {
        #expect(Glob(pattern).matches(name) == matches)
    }

    /// Names beyond printable ASCII are matched by character: a `?` is one whole character,
    /// case folds beyond A-Z.
    @Test(arguments: [
        ("ÉCOLE*", "école du coin", true), ("?COLE", "École", true), ("A?B", "a\r\nb", true), ("A??B", "a\r\nb", false),
        ("CAFÉ", "cafe", false), ("STRASSE*", "straße", false), ("A?B", "a\tb", true),
    ])
    func nonASCIINamesMatchByCharacter(pattern: String, name: String, matches: Bool) {
        #expect(Glob(pattern).matches(name) == matches)
    }

    /// The byte-wise matching of printable ASCII agrees with matching by character on many
    /// generated patterns and names.
    @Test func asciiMatchingAgreesWithMatchingByCharacter() {
        func byCharacter(_ pattern: ArraySlice<Character>, _ name: ArraySlice<Character>) -> Bool {
            guard let first = pattern.first else { return name.isEmpty }
            if first == "*" {
                return name.indices.contains { byCharacter(pattern.dropFirst(), name[$0...]) }
                    || byCharacter(pattern.dropFirst(), name[name.endIndex...])
            }
            guard let head = name.first, first == "?" || first == head else { return false }
            return byCharacter(pattern.dropFirst(), name.dropFirst())
        }
        var random = SplitMix(seed: 12)
        let patternAlphabet = Array("aB*? x")
        let nameAlphabet = Array("abAB x?*")
        for _ in 0..<3_000 {
            let pattern = String((0..<random.next(7)).map { _ in patternAlphabet[random.next(patternAlphabet.count)] })
            let name = String((0..<random.next(8)).map { _ in nameAlphabet[random.next(nameAlphabet.count)] })
            let expected = byCharacter(ArraySlice(pattern.lowercased()), ArraySlice(name.lowercased()))
            #expect(Glob(pattern).matches(name) == expected, "\(pattern) on \(name)")
        }
    }
}

@Suite struct HostileRuleFileTests {
    @Test func anAliasBombIsRefusedBeforeItIsWalked() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...8 {
            yaml += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        yaml += "partner: bomb\nmatch: { mid: [M] }\nrules: []\n"
        let outcome = RuleLoaderTests.load([("partners/bomb.yaml", yaml)])
        #expect(outcome.diagnostics.map(\.description).contains { $0.contains("holds more than 100000 values") })
    }

    @Test func oversizedFilesAreRefused() {
        let outcome = RuleLoaderTests.load([
            ("partners/big.yaml", "partner: big\n# " + String(repeating: "x", count: 2 << 20) + "\n")
        ])
        #expect(outcome.diagnostics.map(\.description).contains { $0.contains("larger than 1 MiB") })
    }
}
