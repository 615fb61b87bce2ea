import Engine
import PaymentConditions
import PluginTestSupport
import Testing

@Suite struct ForeignConditionTests {
    // MARK: configuration

    @Test(arguments: ["foreign: true", "foreign: false"])
    func acceptsTrueOrFalse(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        ("foreign: yes", "6:18", "expected true or false, got 'yes'"),
        ("foreign: 1", "6:18", "expected true or false, got '1'"),
        ("foreign: [true]", "6:18", "expected true or false, got a list"),
        ("foreign:", "6:17", "expected true or false, got nothing"),  // the empty value, right after the key
    ])
    func rejectsAnythingButABoolean(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "foreign", says: says)
    }

    // MARK: evaluation

    static let original = #""original_amount":"110.00","original_currency":"USD""#
    static let sameCurrency = #""original_amount":"100.00","original_currency":"EUR""#

    @Test(arguments: [
        ("foreign: true", original, true),
        ("foreign: true", "", false),  // no original_currency: not foreign
        ("foreign: true", sameCurrency, false),  // original_currency equal to currency: not foreign
        ("foreign: false", "", true),
        ("foreign: false", sameCurrency, true),
        ("foreign: false", original, false),
    ])
    func holdsWhenOriginalCurrencyDiffersFromCurrency(condition: String, extra: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: condition)))
        let decision = try run.process(EventJSON.payment(amount: "100.00", extra: extra))
        #expect(decision.lines == (holds ? [Decision.Line(rule: "shop/r", amount: 10_00)] : []))
    }

    @Test func explainsAFailureInWords() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "foreign: true")), explain: true)
        #expect(try run.failure(of: "shop/r", EventJSON.payment()) == "payment is not foreign; rule wants foreign: true")
    }
}
