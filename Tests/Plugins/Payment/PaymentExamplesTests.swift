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
    func exampleLoadsAsAWhenItemWithoutDiagnostics(kind: String, example: String) throws {
        #expect(example.hasPrefix("\(kind): "))
        #expect(!example.contains("\n"))
        let outcome = RulesFixture(partner: RulesFixture.partner(when: example)).outcome
        #expect(outcome.diagnostics.map(\.description) == [])
        #expect(outcome.rules?.partners.first?.rules.first?.conditions.map(\.kind) == [kind])
    }

    @Test(arguments: ["AmountCondition.swift", "ForeignCondition.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        let examples = try DocComment.yamlExamples(folder: "Payment", file: file)
        #expect(examples.count == 1)
        for example in examples {
            let partner = "partner: shop\nmatch: { name: [\"SHOP*\"] }\nrules:\n" + DocComment.rule(from: example)
            let outcome = RulesFixture(partner: partner).outcome
            #expect(outcome.diagnostics.map(\.description) == [], "\(example)")
            #expect(outcome.rules != nil)
        }
    }
}
