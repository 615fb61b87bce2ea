import Engine
import StandardRewards
import PluginTestSupport
import Testing

/// The examples that `cashback plugins` prints and the doc comments show must stay loadable.
@Suite struct RewardsExamplesTests {
    @Test(arguments: [
        (PercentageReward.kind, PercentageReward.example),
        (FlatReward.kind, FlatReward.example),
        (TieredReward.kind, TieredReward.example),
    ])
    func exampleLoadsAsARewardWithoutDiagnostics(kind: String, example: String) throws {
        #expect(example.hasPrefix("\(kind): "))
        #expect(!example.contains("\n"))
        let outcome = RulesFixture(partner: RulesFixture.partner(reward: example)).outcome
        #expect(outcome.diagnostics.map(\.description) == [])
        #expect(outcome.rules?.partners.first?.rules.first?.rewardKind == kind)
    }

    @Test(arguments: ["PercentageReward.swift", "FlatReward.swift", "TieredReward.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        let examples = try DocComment.yamlExamples(folder: "Rewards", file: file)
        #expect(examples.count == 1)
        for example in examples {
            let partner = "partner: shop\nmatch: { name: [\"SHOP*\"] }\nrules:\n" + DocComment.rule(from: example)
            let outcome = RulesFixture(partner: partner).outcome
            #expect(outcome.diagnostics.map(\.description) == [], "\(example)")
            #expect(outcome.rules != nil)
        }
    }
}
