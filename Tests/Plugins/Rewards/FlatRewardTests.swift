import Engine
import PluginTestSupport
import StandardRewards
import Testing

@Suite struct FlatRewardTests {
    // MARK: configuration

    @Test(arguments: ["flat: 2.00", "flat: 2", "flat: 2.5", "flat: 0.01", #"flat: "2.00""#])
    func acceptsAPositiveAmountOfTheFileCurrency(reward: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(reward: reward)).rules()
    }

    @Test(arguments: [
        ("flat: 2.001", "'2.001' has more fraction digits than EUR allows (2)"),
        ("flat: 2.000", "'2.000' has more fraction digits than EUR allows (2)"),
        ("flat: 0", "must be more than 0"),
        ("flat: 0.00", "must be more than 0"),
        ("flat: -1.00", "'-1.00' is not an amount (digits[.digits])"),
        ("flat: 2,00", "'2,00' is not an amount (digits[.digits])"),
        ("flat: 10000000000.01", "'10000000000.01' exceeds 10^12 minor units"),
        ("flat: [2.00]", "expected an amount, got a list"),
    ])
    func rejectsAmountsThatAreNotPositiveMoneyOfTheFileCurrency(reward: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(reward: reward)).diagnostic()
        expectDiagnostic(diagnostic, at: "6:13", plugin: "flat", says: says)
    }

    @Test(arguments: [
        ("currency: JPY", "flat: 1.5", "'1.5' has more fraction digits than JPY allows (0)"),
        ("currency: KWD", "flat: 1.2505", "'1.2505' has more fraction digits than KWD allows (3)"),
    ])
    func rejectsMoreFractionDigitsThanTheFileCurrencyHas(trailer: String, reward: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(reward: reward, trailer: trailer)).diagnostic()
        expectDiagnostic(diagnostic, at: "6:13", plugin: "flat", says: says)
    }

    @Test func aPartnerFileWithoutCurrencyUsesTheProgramOne() throws {
        let fixture = RulesFixture(partner: RulesFixture.partner(reward: "flat: 2.50"), program: "currency: JPY")
        expectDiagnostic(
            try fixture.diagnostic(), at: "6:13", plugin: "flat", says: "'2.50' has more fraction digits than JPY allows (0)")
    }

    @Test func rejectsAnyAmountInACurrencyAnyFile() throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(reward: "flat: 2.00", trailer: "currency: any"))
            .diagnostic()
        expectDiagnostic(
            diagnostic, at: "6:13", plugin: "flat",
            says: "money amount '2.00' in a file with `currency: any`; set the file's currency")
    }

    // MARK: evaluation

    @Test(arguments: ["0.01", "19.99", "1000.00"])
    func paysTheSameAmountWhateverThePayment(amount: String) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: "flat: 2.00")))
        let decision = try run.process(EventJSON.payment(amount: amount))
        #expect(decision.lines == [Decision.Line(rule: "shop/r", amount: 2_00)])
        #expect(decision.cashback == 2_00)
    }

    @Test(arguments: [("JPY", "flat: 100", "5000", 100), ("KWD", "flat: 1.250", "10.000", 1250)])
    func isInTheFileCurrencyMinorUnits(currency: String, reward: String, amount: String, cashback: Int) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: reward, trailer: "currency: \(currency)")))
        #expect(try run.cashback(EventJSON.payment(amount: amount, currency: currency)) == cashback)
    }
}
