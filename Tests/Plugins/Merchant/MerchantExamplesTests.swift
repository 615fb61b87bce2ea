import Engine
import MerchantConditions
import PluginTestSupport
import Testing

/// The examples that `cashback plugins` prints and the doc comments show must stay loadable.
@Suite struct MerchantExamplesTests {
    @Test(arguments: [
        (MCCCondition.kind, MCCCondition.example),
        (CountryCondition.kind, CountryCondition.example),
        (ChannelCondition.kind, ChannelCondition.example),
    ])
    func exampleLoadsAsAWhenItemWithoutDiagnostics(kind: String, example: String) throws {
        #expect(example.hasPrefix("\(kind): "))
        #expect(!example.contains("\n"))
        let outcome = RulesFixture(partner: RulesFixture.partner(when: example)).outcome
        #expect(outcome.diagnostics.map(\.description) == [])
        #expect(outcome.rules?.partners.first?.rules.first?.conditions.map(\.kind) == [kind])
    }

    @Test(arguments: ["MCCCondition.swift", "CountryCondition.swift", "ChannelCondition.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        let examples = try DocComment.yamlExamples(folder: "Merchant", file: file)
        #expect(examples.count == 1)
        for example in examples {
            let partner = "partner: shop\nmatch: { name: [\"SHOP*\"] }\nrules:\n" + DocComment.rule(from: example)
            let outcome = RulesFixture(partner: partner).outcome
            #expect(outcome.diagnostics.map(\.description) == [], "\(example)")
            #expect(outcome.rules != nil)
        }
    }
}
