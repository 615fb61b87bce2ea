import Engine
import PaymentConditions
import PluginTestSupport
import Testing

/// The examples that `cashback plugins` prints and the doc comments show must stay loadable.
@Suite struct PaymentExamplesTests {
    @Test(arguments: [
        (AmountCondition.kind, AmountCondition.example),
        (ForeignCondition.kind, ForeignCondition.example),
    ])
    func exampleLoadsAsAWhenItemWithoutDiagnostics(kind: String, example: String) {
        expectExampleLoads(kind: kind, example: example)
    }

    @Test(arguments: ["AmountCondition.swift", "ForeignCondition.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        try expectDocCommentExampleLoads(folder: "Payment", file: file)
    }
}
