import Engine
import HistoryConditions
import PluginTestSupport
import Testing

/// The examples that `cashback plugins` prints and the doc comments show must stay loadable.
/// They are loaded as programme rules, the scope where both kinds make sense.
@Suite struct HistoryExamplesTests {
    @Test(arguments: [
        (PartnerCondition.kind, PartnerCondition.example),
        (FirstPurchaseCondition.kind, FirstPurchaseCondition.example),
    ])
    func exampleLoadsAsAWhenItemWithoutDiagnostics(kind: String, example: String) {
        expectExampleLoads(kind: kind, example: example, asProgramRule: true)
    }

    @Test(arguments: ["PartnerCondition.swift", "FirstPurchaseCondition.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        try expectDocCommentExampleLoads(folder: "History", file: file, asProgramRule: true)
    }
}
