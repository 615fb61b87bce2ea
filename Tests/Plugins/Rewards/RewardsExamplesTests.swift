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
    func exampleLoadsAsARewardWithoutDiagnostics(kind: String, example: String) {
        expectExampleLoads(kind: kind, example: example, isReward: true)
    }

    @Test(arguments: ["PercentageReward.swift", "FlatReward.swift", "TieredReward.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        try expectDocCommentExampleLoads(folder: "Rewards", file: file)
    }
}
