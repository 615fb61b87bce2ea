import CalendarConditions
import Engine
import PluginTestSupport
import Testing

@Suite struct WeekdayConditionTests {
    // MARK: configuration

    @Test(arguments: [
        "weekday: [sat, sun]",
        "weekday: [mon, tue, wed, thu, fri, sat, sun]",
        "weekday: [sat, sat]",
        "weekday: sat",
    ])
    func acceptsAListOfDayNames(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        ("weekday: [sat, sunday]", "6:24", "'sunday': expected mon, tue, wed, thu, fri, sat or sun"),
        ("weekday: [Sat]", "6:19", "'Sat': expected mon, tue, wed, thu, fri, sat or sun"),
        ("weekday: saturday", "6:18", "'saturday': expected mon, tue, wed, thu, fri, sat or sun"),
        ("weekday: []", "6:18", "expected at least one weekday"),
        ("weekday: { days: [sat] }", "6:18", "expected a list, got a map"),
        ("weekday:", "6:17", "expected a list, got nothing"),
    ])
    func rejectsAnythingButDayNamesAtTheOffendingNode(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "weekday", says: says)
    }

    // MARK: evaluation

    @Test(arguments: [
        ("2026-11-27T23:59:59Z", false),  // Friday
        ("2026-11-28T00:00:00Z", true),  // Saturday
        ("2026-11-29T23:59:59Z", true),  // Sunday
        ("2026-11-30T00:00:00Z", false),  // Monday
        ("2026-11-25T12:00:00Z", false),  // Wednesday
    ])
    func holdsOnListedWeekdays(occurredAt: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "weekday: [sat, sun]")))
        let decision = try run.process(EventJSON.payment(at: occurredAt, amount: "100.00"))
        #expect(decision.lines == (holds ? [Decision.Line(rule: "shop/r", amount: 10_00)] : []))
    }

    /// 2026-11-28T23:30:00Z is Saturday in UTC and Sunday 00:30 in Paris.
    @Test(arguments: [
        ("timezone: Europe/Paris", "weekday: [sun]", true),
        ("timezone: Europe/Paris", "weekday: [sat]", false),
        ("", "weekday: [sat]", true),  // the default zone is UTC
        ("", "weekday: [sun]", false),
    ])
    func usesThePartnersTimeZone(timezone: String, condition: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: condition, trailer: timezone)))
        let decision = try run.process(EventJSON.payment(at: "2026-11-28T23:30:00Z"))
        #expect(decision.lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    @Test func aPartnerWithoutTimeZoneUsesTheProgramOne() throws {
        let run = try DryRun(
            RulesFixture(partner: RulesFixture.partner(when: "weekday: [sun]"), program: "timezone: Europe/Paris"))
        #expect(try run.process(EventJSON.payment(at: "2026-11-28T23:30:00Z")).lines.map(\.rule) == ["shop/r"])
    }

    @Test func programRulesUseTheProgramTimeZone() throws {
        let program = "timezone: Europe/Paris\n" + RulesFixture.program(when: "weekday: [sun]")
        let run = try DryRun(RulesFixture(program: program))
        let decision = try run.process(EventJSON.payment(at: "2026-11-28T23:30:00Z", name: "ANYWHERE"))
        #expect(decision.lines == [Decision.Line(rule: "program/r", amount: 1_00)])
    }

    @Test func theOffsetOfOccurredAtOnlyFixesTheInstant() throws {
        // 2026-11-29T00:30:00+01:00 is Saturday 23:30 UTC: a UTC partner sees a Saturday.
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "weekday: [sat]")))
        #expect(try run.process(EventJSON.payment(at: "2026-11-29T00:30:00+01:00")).lines.map(\.rule) == ["shop/r"])
    }

    @Test func explainsAFailureInWords() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "weekday: [sun, sat]")), explain: true)
        // 2026-11-25 is a Wednesday: the wording of SPEC §5.
        #expect(
            try run.failure(of: "shop/r", EventJSON.payment(at: "2026-11-25T12:00:00Z")) == "weekday is wed; rule wants sat, sun")
    }
}
