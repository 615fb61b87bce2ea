import Engine
import HistoryConditions
import PluginTestSupport
import Testing

@Suite struct PartnerConditionTests {
    static let shop = RulesFixture.partner(reward: "percentage: 10%")
    static let cafe = """
        partner: cafe
        match: { name: ["CAFE*"] }
        rules:
          - id: base
            reward: { percentage: 5% }
        """

    /// Partners `shop` and `cafe`, and a programme rule `r` (flat 1.00) with `condition` on line 4.
    static func fixture(_ condition: String) -> RulesFixture {
        RulesFixture(partner: shop, program: RulesFixture.program(when: condition), otherFiles: ["partners/cafe.yaml": cafe])
    }

    // MARK: configuration

    @Test(arguments: ["partner: none", "partner: any", "partner: [shop]", "partner: [shop, cafe]"])
    func acceptsNoneAnyOrKnownPartnerIDs(condition: String) throws {
        _ = try Self.fixture(condition).rules()
    }

    @Test(arguments: [
        ("partner: [nope]", "4:19", "'nope'"),
        ("partner: [shop, decathlon]", "4:25", "'decathlon'"),
    ])
    func anUnknownPartnerIDIsALintError(condition: String, position: String, id: String) throws {
        let diagnostic = try Self.fixture(condition).diagnostic()
        expectDiagnostic(
            diagnostic, file: "rules/program.yaml", at: position, rule: "program/r", plugin: "partner",
            says: "no partner file defines \(id)")
    }

    @Test(arguments: [
        ("partner: some", "4:18", "'some': expected none, any or a list of partner ids"),
        ("partner: cafe", "4:18", "'cafe': expected none, any or a list of partner ids"),  // one id is still a list
        ("partner: []", "4:18", "expected at least one partner id"),
        ("partner: { id: shop }", "4:18", "expected none, any or a list of partner ids, got a map"),
        ("partner: [[shop]]", "4:19", "expected a partner id, got a list"),
    ])
    func rejectsAnythingButNoneAnyOrAList(condition: String, position: String, says: String) throws {
        let diagnostic = try Self.fixture(condition).diagnostic()
        expectDiagnostic(diagnostic, file: "rules/program.yaml", at: position, rule: "program/r", plugin: "partner", says: says)
    }

    // MARK: evaluation

    @Test(arguments: [
        ("partner: none", "SHOP ONE", false),
        ("partner: none", "CAFE CENTRAL", false),
        ("partner: none", "BAKERY", true),
        ("partner: any", "SHOP ONE", true),
        ("partner: any", "CAFE CENTRAL", true),
        ("partner: any", "BAKERY", false),
        ("partner: [shop]", "SHOP ONE", true),
        ("partner: [shop]", "CAFE CENTRAL", false),
        ("partner: [shop]", "BAKERY", false),
        ("partner: [shop, cafe]", "CAFE CENTRAL", true),
    ])
    func programRulesSeeThePaymentsPartner(condition: String, merchant: String, holds: Bool) throws {
        let run = try DryRun(Self.fixture(condition))
        let decision = try run.process(EventJSON.payment(amount: "100.00", name: merchant))
        #expect(decision.lines.contains(Decision.Line(rule: "program/r", amount: 1_00)) == holds)
    }

    @Test func aPartnerThatIsNotActiveOnThePaymentDateIsNoPartner() throws {
        let shop = RulesFixture.partner(reward: "percentage: 10%", trailer: "active: { from: 2027-01-01 }")
        let run = try DryRun(RulesFixture(partner: shop, program: RulesFixture.program(when: "partner: none")))
        let decision = try run.process(EventJSON.payment(at: "2026-11-24T12:00:00Z", amount: "100.00"))
        #expect(decision.partner == nil)
        #expect(decision.lines == [Decision.Line(rule: "program/r", amount: 1_00)])
    }

    @Test(arguments: [
        ("partner: any", "BAKERY", "partner is none; rule wants any"),
        ("partner: none", "SHOP ONE", "partner is shop; rule wants none"),
        ("partner: [shop, cafe]", "BAKERY", "partner is none; rule wants cafe, shop"),
    ])
    func explainsAFailureInWords(condition: String, merchant: String, explanation: String) throws {
        let run = try DryRun(Self.fixture(condition), explain: true)
        #expect(try run.failure(of: "program/r", EventJSON.payment(name: merchant)) == explanation)
    }
}
