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
    func exampleLoadsAsAWhenItemWithoutDiagnostics(kind: String, example: String) throws {
        #expect(example.hasPrefix("\(kind): "))
        #expect(!example.contains("\n"))
        let fixture = RulesFixture(partner: RulesFixture.partner(reward: "percentage: 10%"), program: RulesFixture.program(when: example))
        let outcome = fixture.outcome
        #expect(outcome.diagnostics.map(\.description) == [])
        #expect(outcome.rules?.program.rules.first?.conditions.map(\.kind) == [kind])
    }

    @Test(arguments: ["PartnerCondition.swift", "FirstPurchaseCondition.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        let examples = try DocComment.yamlExamples(folder: "History", file: file)
        #expect(examples.count == 1)
        for example in examples {
            let program = "rules:\n" + DocComment.rule(from: example)
            let outcome = RulesFixture(partner: RulesFixture.partner(reward: "percentage: 10%"), program: program).outcome
            #expect(outcome.diagnostics.map(\.description) == [], "\(example)")
            #expect(outcome.rules != nil)
        }
    }
}
