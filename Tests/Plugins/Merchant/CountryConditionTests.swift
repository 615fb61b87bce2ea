import Engine
import MerchantConditions
import PluginTestSupport
import Testing

@Suite struct CountryConditionTests {
    // MARK: configuration

    @Test(arguments: [
        "country: [FR, BE]",
        "country: FR",
        "country: [NO]",  // unquoted: Norway, not a YAML 1.1 boolean
        "country: { not: [FR] }",
        "country: { not: FR }",
    ])
    func acceptsAListOrANegatedList(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        ("country: [fr]", "6:19", "'fr' is not a country code (two upper-case letters)"),
        ("country: [FRA]", "6:19", "'FRA' is not a country code (two upper-case letters)"),
        ("country: [FR, be]", "6:23", "'be' is not a country code (two upper-case letters)"),
        ("country: { not: [FR, X1] }", "6:30", "'X1' is not a country code (two upper-case letters)"),
        ("country: { only: [FR] }", "6:20", "unknown key 'only' (expected one of: not)"),
        ("country: { not: [] }", "6:25", "not: expected at least one country"),
        ("country: { not: }", "6:18", "missing required key 'not'"),
        ("country: []", "6:18", "expected at least one country"),
    ])
    func rejectsMalformedCountriesAtTheOffendingNode(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "country", says: says)
    }

    // MARK: evaluation

    @Test(arguments: [
        ("country: [FR, BE]", #""country":"FR""#, true),
        ("country: [FR, BE]", #""country":"BE""#, true),
        ("country: [FR, BE]", #""country":"DE""#, false),
        ("country: [FR, BE]", "", false),
        ("country: [NO]", #""country":"NO""#, true),
        ("country: { not: [FR] }", #""country":"DE""#, true),
        ("country: { not: [FR] }", #""country":"FR""#, false),
        ("country: { not: [FR] }", "", false),  // an unknown country is never "not FR"
    ])
    func holdsOnTheMerchantCountry(condition: String, merchant: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: condition)))
        let decision = try run.process(EventJSON.payment(amount: "100.00", merchant: merchant))
        #expect(decision.lines == (holds ? [Decision.Line(rule: "shop/r", amount: 10_00)] : []))
    }

    @Test func anAbroadProgramRuleNeverPaysOnAnUnknownCountry() throws {
        // The programme example of SPEC §3.1.
        let program = """
            rules:
              - id: abroad
                when:
                  - country: { not: [FR] }
                reward: { percentage: 1% }
            """
        let run = try DryRun(RulesFixture(program: program))
        let abroad = try run.process(EventJSON.payment("p1", amount: "200.00", name: "ZARA", merchant: #""country":"ES""#))
        let home = try run.process(EventJSON.payment("p2", amount: "200.00", name: "ZARA", merchant: #""country":"FR""#))
        let unknown = try run.process(EventJSON.payment("p3", amount: "200.00", name: "ZARA"))
        #expect(abroad.lines == [Decision.Line(rule: "program/abroad", amount: 2_00)])
        #expect(home.status == .noReward && home.lines.isEmpty)
        #expect(unknown.status == .noReward && unknown.lines.isEmpty)
    }

    @Test(arguments: [
        ("country: [FR, BE]", #""country":"DE""#, "country is DE; rule wants BE, FR"),
        ("country: { not: [FR] }", "", "country is unknown; rule wants not FR"),
    ])
    func explainsAFailureInWords(condition: String, merchant: String, explanation: String) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: condition)), explain: true)
        #expect(try run.failure(of: "shop/r", EventJSON.payment(merchant: merchant)) == explanation)
    }
}
