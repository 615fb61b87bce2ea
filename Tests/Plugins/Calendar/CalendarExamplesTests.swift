import CalendarConditions
import Engine
import PluginTestSupport
import Testing

/// The examples that `cashback plugins` prints and the doc comments show must stay loadable.
@Suite struct CalendarExamplesTests {
    @Test(arguments: [
        (WeekdayCondition.kind, WeekdayCondition.example),
        (TimeOfDayCondition.kind, TimeOfDayCondition.example),
        (DateCondition.kind, DateCondition.example),
    ])
    func exampleLoadsAsAWhenItemWithoutDiagnostics(kind: String, example: String) throws {
        #expect(example.hasPrefix("\(kind): "))
        #expect(!example.contains("\n"))
        let outcome = RulesFixture(partner: RulesFixture.partner(when: example)).outcome
        #expect(outcome.diagnostics.map(\.description) == [])
        #expect(outcome.rules?.partners.first?.rules.first?.conditions.map(\.kind) == [kind])
    }

    @Test(arguments: ["WeekdayCondition.swift", "TimeOfDayCondition.swift", "DateCondition.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        let examples = try DocComment.yamlExamples(folder: "Calendar", file: file)
        #expect(examples.count == 1)
        for example in examples {
            let partner = "partner: shop\nmatch: { name: [\"SHOP*\"] }\nrules:\n" + DocComment.rule(from: example)
            let outcome = RulesFixture(partner: partner).outcome
            #expect(outcome.diagnostics.map(\.description) == [], "\(example)")
            #expect(outcome.rules != nil)
        }
    }
}
