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
    func exampleLoadsAsAWhenItemWithoutDiagnostics(kind: String, example: String) {
        expectExampleLoads(kind: kind, example: example)
    }

    @Test(arguments: ["WeekdayCondition.swift", "TimeOfDayCondition.swift", "DateCondition.swift"])
    func docCommentExampleLoadsWithoutDiagnostics(file: String) throws {
        try expectDocCommentExampleLoads(folder: "Calendar", file: file)
    }
}
