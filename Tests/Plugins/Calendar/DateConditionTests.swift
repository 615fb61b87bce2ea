import CalendarConditions
import Engine
import PluginTestSupport
import Testing

@Suite struct DateConditionTests {
    // MARK: configuration

    @Test(arguments: [
        "date: { from: 2026-12-01, until: 2026-12-25 }",
        "date: { from: 2026-12-01 }",
        "date: { until: 2026-12-25 }",
        #"date: { from: "2026-12-01", until: "2026-12-02" }"#,
    ])
    func acceptsEitherOrBothBounds(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        ("date: {}", "6:15", "expected from, until or both"),
        ("date: { from: 2026-12-25, until: 2026-12-01 }", "6:42", "date.until: must be after from"),
        ("date: { from: 2026-12-01, until: 2026-12-01 }", "6:42", "date.until: must be after from"),
        ("date: { from: 2026-02-30 }", "6:23", "from: '2026-02-30' is not a date YYYY-MM-DD: February 2026 has 28 days"),
        ("date: { from: 2026-12-1 }", "6:23", "from: '2026-12-1' is not a date YYYY-MM-DD"),
        ("date: { until: 25/12/2026 }", "6:24", "until: '25/12/2026' is not a date YYYY-MM-DD"),
        ("date: { form: 2026-12-01 }", "6:17", "unknown key 'form'; did you mean 'from'? (expected one of: from, until)"),
        ("date: 2026-12-01", "6:15", "expected a map with keys from, until, got '2026-12-01'"),
    ])
    func rejectsMalformedDatesAtTheOffendingNode(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "date", says: says)
    }

    // MARK: evaluation

    @Test(arguments: [
        ("2026-11-30T23:59:59Z", false),
        ("2026-12-01T00:00:00Z", true),  // from is inclusive
        ("2026-12-24T23:59:59Z", true),
        ("2026-12-25T00:00:00Z", false),  // until is exclusive
    ])
    func holdsFromInclusiveUntilExclusive(occurredAt: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "date: { from: 2026-12-01, until: 2026-12-25 }")))
        let decision = try run.process(EventJSON.payment(at: occurredAt, amount: "100.00"))
        #expect(decision.lines == (holds ? [Decision.Line(rule: "shop/r", amount: 10_00)] : []))
    }

    @Test(arguments: [
        ("date: { from: 2026-12-01 }", "2040-01-01T00:00:00Z", true),
        ("date: { from: 2026-12-01 }", "2026-11-30T12:00:00Z", false),
        ("date: { until: 2026-12-25 }", "2000-01-01T00:00:00Z", true),
        ("date: { until: 2026-12-25 }", "2026-12-25T12:00:00Z", false),
    ])
    func anOmittedBoundIsOpen(condition: String, occurredAt: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: condition)))
        #expect(try run.process(EventJSON.payment(at: occurredAt)).lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    @Test(arguments: [
        ("2026-11-30T23:30:00Z", true),  // 1 December 00:30 in Paris
        ("2026-12-24T22:59:59Z", true),  // 24 December 23:59:59 in Paris
        ("2026-12-24T23:30:00Z", false),  // 25 December 00:30 in Paris
    ])
    func readsTheLocalDateOfThePartnersTimeZone(occurredAt: String, holds: Bool) throws {
        let partner = RulesFixture.partner(
            when: "date: { from: 2026-12-01, until: 2026-12-25 }", trailer: "timezone: Europe/Paris")
        let run = try DryRun(RulesFixture(partner: partner))
        #expect(try run.process(EventJSON.payment(at: occurredAt)).lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    @Test func explainsAFailureInWords() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "date: { from: 2026-12-01 }")), explain: true)
        #expect(
            try run.failure(of: "shop/r", EventJSON.payment(at: "2026-11-30T12:00:00Z"))
                == "local date is 2026-11-30; rule wants from 2026-12-01 until any date")
    }
}
