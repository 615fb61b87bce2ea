import Foundation
import Testing

/// `cashback lint` as a partnership manager runs it.
@Suite struct LintCommandTests {
    @Test func shippedRulesAreValid() throws {
        let result = try CashbackBinary.run(["lint", "rules"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("rules: ok:"))
    }

    @Test func brokenDirectoryReportsEveryErrorAtItsPosition() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "rules/program.yaml",
            """
            currency: EUR
            timezone: Mars/Olympus
            rules:
              - id: abroad
                when:
                  - country: { not: [fr] }
                reward: { percentage: 1% }
            """)
        try directory.write(
            "rules/partners/a-shop.yaml",
            """
            partner: shop
            match:
              mid: [MID1]
            rules:
              - id: base
                reward: { percentage: 150% }
              - id: weekend
                when:
                  - weekdays: [sat]
                reward: { flat: 2.001 }
                limits:
                  - { per: account, max: 5.00 }
            stacking: sum
            budjet: 100.00
            """)
        try directory.write(
            "rules/partners/b/other.yml",
            """
            partner: other
            match:
              mid: [MID1]
            rules:
              - id: base
                reward: { tiered: { by: spend, tiers: [{ from: 0, rate: 1% }] } }
            """)
        let result = try CashbackBinary.run(["lint", "rules"], in: directory.url)
        #expect(result.status == 1)
        let expected = [
            "rules/program.yaml:2:11: error: [program] timezone: 'Mars/Olympus' is not a known time zone",
            "rules/program.yaml:6:26: error: [program/abroad] country.not[0]: 'fr' is not a country code",
            "rules/partners/a-shop.yaml:6:27: error: [shop/base] percentage: '150%' must be at most 100%",
            "rules/partners/a-shop.yaml:9:9: error: [shop/weekend] rules[1].when[0]: unknown condition kind 'weekdays'; did you mean 'weekday'?",
            "rules/partners/a-shop.yaml:10:21: error: [shop/weekend] flat: '2.001' has more fraction digits than EUR allows (2)",
            "rules/partners/a-shop.yaml:12:9: error: [shop/weekend] rules[1].limits[0]: a per: account limit needs a period",
            "rules/partners/a-shop.yaml:14:1: error: [shop] unknown key 'budjet'; did you mean 'budget'?",
            "rules/partners/b/other.yml:6:23: error: [other/base] tiered: by: spend needs a period",
            "rules/partners/b/other.yml:3:3: error: [other] mid 'MID1' is claimed by both rules/partners/a-shop.yaml (shop) and rules/partners/b/other.yml (other)",
        ]
        for prefix in expected {
            #expect(result.lines.contains { $0.hasPrefix(prefix) }, "missing: \(prefix)\n\(result.stdout)")
        }
        #expect(result.lines.last == "rules: 9 errors", "every error is collected: \(result.stdout)")
    }

    @Test func yamlSyntaxErrorIsLocated() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("rules/partners/x.yaml", "partner: x\nmatch: { mid: [A\nrules: []\n")
        let result = try CashbackBinary.run(["lint", "rules"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.lines.contains { $0.hasPrefix("rules/partners/x.yaml:") && $0.contains("YAML syntax") })
    }
}
