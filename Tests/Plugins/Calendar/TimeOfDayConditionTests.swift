import CalendarConditions
import Engine
import PluginTestSupport
import Testing

@Suite struct TimeOfDayConditionTests {
    // MARK: configuration

    @Test(arguments: [
        #"time: { from: "18:00", until: "22:00" }"#,
        "time: { from: 18:00, until: 22:00 }",  // unquoted: still a time, not a YAML 1.1 sexagesimal number
        #"time: { from: "07:30:15", until: "08:00" }"#,
        #"time: { from: "22:00", until: "06:00" }"#,
        #"time: { from: "00:00", until: "23:59:59" }"#,
    ])
    func acceptsHoursMinutesAndOptionalSeconds(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        (#"time: { from: "24:00", until: "06:00" }"#, "6:23", "from: '24:00' is not a time HH:MM[:SS] (hours 00-23)"),
        (#"time: { from: "7:00", until: "09:00" }"#, "6:23", "from: '7:00' is not a time HH:MM[:SS] (hours 00-23)"),
        (#"time: { from: "18:60", until: "22:00" }"#, "6:23", "from: '18:60' is not a time HH:MM[:SS] (hours 00-23)"),
        (#"time: { from: "18h", until: "22:00" }"#, "6:23", "from: '18h' is not a time HH:MM[:SS] (hours 00-23)"),
        (#"time: { from: "18:00", until: "22:00:60" }"#, "6:39", "until: '22:00:60' is not a time HH:MM[:SS] (hours 00-23)"),
        ("time: { from: 18:00, until: 18:00 }", "6:37", "until: from and until are equal; the window would be empty"),
        ("time: { from: 18:00 }", "6:15", "missing required key 'until'"),
        ("time: { from: 18:00, to: 22:00 }", "6:30", "unknown key 'to' (expected one of: from, until)"),
        (#"time: "18:00-22:00""#, "6:15", "expected a map with keys from, until, got '18:00-22:00'"),
    ])
    func rejectsMalformedTimesAtTheOffendingNode(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "time", says: says)
    }

    // MARK: evaluation

    @Test(arguments: [
        ("2026-11-24T17:59:59Z", false),
        ("2026-11-24T17:59:59.999Z", false),
        ("2026-11-24T18:00:00Z", true),  // from is inclusive
        ("2026-11-24T21:59:59Z", true),
        ("2026-11-24T22:00:00Z", false),  // until is exclusive
    ])
    func holdsFromInclusiveUntilExclusive(occurredAt: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: #"time: { from: "18:00", until: "22:00" }"#)))
        let decision = try run.process(EventJSON.payment(at: occurredAt, amount: "100.00"))
        #expect(decision.lines == (holds ? [Decision.Line(rule: "shop/r", amount: 10_00)] : []))
    }

    @Test(arguments: [
        ("2026-11-24T21:59:59Z", false),
        ("2026-11-24T22:00:00Z", true),
        ("2026-11-24T23:59:59Z", true),
        ("2026-11-25T00:00:00Z", true),
        ("2026-11-25T05:59:59Z", true),
        ("2026-11-25T06:00:00Z", false),
        ("2026-11-25T12:00:00Z", false),
    ])
    func wrapsMidnightWhenFromIsAfterUntil(occurredAt: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: #"time: { from: "22:00", until: "06:00" }"#)))
        #expect(try run.process(EventJSON.payment(at: occurredAt)).lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    @Test(arguments: [
        ("2026-11-24T18:00:29Z", false),
        ("2026-11-24T18:00:30Z", true),
    ])
    func secondsInTheBoundCount(occurredAt: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: #"time: { from: "18:00:30", until: "22:00" }"#)))
        #expect(try run.process(EventJSON.payment(at: occurredAt)).lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    /// Paris is UTC+1 in November and UTC+2 in July.
    @Test(arguments: [
        ("2026-11-24T17:30:00Z", true),  // 18:30 CET
        ("2026-11-24T21:30:00Z", false),  // 22:30 CET
        ("2026-07-04T16:30:00Z", true),  // 18:30 CEST
        ("2026-07-04T17:30:00Z", true),  // 19:30 CEST
        ("2026-07-04T20:30:00Z", false),  // 22:30 CEST
        ("2026-11-24T19:30:00+01:00", true),  // 18:30 UTC, 19:30 CET
    ])
    func readsTheLocalTimeOfThePartnersTimeZone(occurredAt: String, holds: Bool) throws {
        let partner = RulesFixture.partner(when: #"time: { from: "18:00", until: "22:00" }"#, trailer: "timezone: Europe/Paris")
        let run = try DryRun(RulesFixture(partner: partner))
        #expect(try run.process(EventJSON.payment(at: occurredAt)).lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    @Test(arguments: [
        ("2026-11-24T22:30:00Z", true),  // 23:30 CET
        ("2026-11-24T23:30:00Z", true),  // 00:30 CET, the next day
        ("2026-11-25T00:00:00Z", false),  // 01:00 CET
    ])
    func wrapsLocalMidnight(occurredAt: String, holds: Bool) throws {
        let partner = RulesFixture.partner(when: #"time: { from: "23:00", until: "01:00" }"#, trailer: "timezone: Europe/Paris")
        let run = try DryRun(RulesFixture(partner: partner))
        #expect(try run.process(EventJSON.payment(at: occurredAt)).lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    @Test func explainsAFailureInWords() throws {
        let partner = RulesFixture.partner(when: #"time: { from: "18:00", until: "22:00" }"#, trailer: "timezone: Europe/Paris")
        let run = try DryRun(RulesFixture(partner: partner), explain: true)
        // 16:59:59 UTC is 17:59:59 in Paris.
        #expect(
            try run.failure(of: "shop/r", EventJSON.payment(at: "2026-11-24T16:59:59Z"))
                == "local time is 17:59:59; rule wants 18:00–22:00")
    }
}
