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
    func exampleLoadsAsAWhenItemWithoutDiagnostics(kind: String, example: String) {
        expectExampleLoads(kind: kind, example: example)
    }

    @Test(arguments: ["MCCCondition.swift", "CountryCondition.swift", "ChannelCondition.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        try expectDocCommentExampleLoads(folder: "Merchant", file: file)
    }
}
