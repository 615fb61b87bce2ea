import Engine
import PluginTestSupport
import StandardRewards
import Testing

@Suite struct PercentageRewardTests {
    // MARK: configuration

    @Test(arguments: [
        "percentage: 5%", "percentage: 2.5%", "percentage: 1.2345%", "percentage: 100%", "percentage: 100.0000%",
        "percentage: 0.0001%", #"percentage: "5%""#,
    ])
    func acceptsUpToFourDecimalsAboveZeroAndAtMostAHundred(reward: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(reward: reward)).rules()
    }

    @Test(arguments: [
        ("percentage: 0%", "'0%' must be more than 0%"),
        ("percentage: 0.0000%", "'0.0000%' must be more than 0%"),
        ("percentage: 150%", "'150%' must be at most 100%"),
        ("percentage: 100.0001%", "'100.0001%' must be at most 100%"),
        ("percentage: 1.23456%", "'1.23456%' is not a percentage (digits with up to 4 decimals, then %)"),
        ("percentage: 5", "'5' is not a percentage (digits with up to 4 decimals, then %); write it with a percent sign: '5%'"),
        ("percentage: 0.05", "'0.05' is not a percentage (digits with up to 4 decimals, then %)"),
        (#"percentage: "5 %""#, "'5 %' is not a percentage (digits with up to 4 decimals, then %)"),
        ("percentage: -1%", "'-1%' is not a percentage (digits with up to 4 decimals, then %)"),
        ("percentage: .5%", "'.5%' is not a percentage (digits with up to 4 decimals, then %)"),
        ("percentage: 5.%", "'5.%' is not a percentage (digits with up to 4 decimals, then %)"),
        ("percentage: [5%]", "expected a percentage such as '5%', got a list"),
    ])
    func rejectsRatesOutsideTheGrammarOrRangeAtTheValue(reward: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(reward: reward)).diagnostic()
        expectDiagnostic(diagnostic, at: "6:19", plugin: "percentage", says: says)
    }

    // MARK: evaluation

    @Test(arguments: [
        ("3%", "10.01", 30),  // 1001 × 3% = 30.03 cents → 30
        ("3%", "19.99", 59),  // 1999 × 3% = 59.97 cents → 59: down, not nearest
        ("3%", "33.33", 99),  // 3333 × 3% = 99.99 cents → 99
        ("3%", "0.33", 0),  // 33 × 3% = 0.99 cent → 0: no line at all
        ("1.2345%", "99.99", 123),  // 9999 × 1.2345% = 123.437655 cents → 123
        ("0.0001%", "1000000.00", 100),  // 100 000 000 × 0.0001% = 100 cents exactly
        ("100%", "12.34", 12_34),
        ("2.5%", "13.33", 33),  // 1333 × 2.5% = 33.325 cents → 33
    ])
    func roundsEachLineDownToTheMinorUnit(rate: String, amount: String, cashback: Int) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: "percentage: \(rate)")))
        let decision = try run.process(EventJSON.payment(amount: amount))
        #expect(decision.lines == (cashback > 0 ? [Decision.Line(rule: "shop/r", amount: cashback)] : []))
        #expect(decision.status == (cashback > 0 ? .rewarded : .noReward))
    }

    @Test(arguments: [
        ("JPY", "999", 49),  // 999 × 5% = 49.95 yen → 49
        ("KWD", "1.234", 61),  // 1234 fils × 5% = 61.7 fils → 61
        ("EUR", "9.99", 49),  // 999 cents × 5% = 49.95 cents → 49
    ])
    func roundsToTheMinorUnitOfThePaymentsCurrency(currency: String, amount: String, cashback: Int) throws {
        let run = try DryRun(
            RulesFixture(partner: RulesFixture.partner(reward: "percentage: 5%", trailer: "currency: \(currency)")))
        #expect(try run.cashback(EventJSON.payment(amount: amount, currency: currency)) == cashback)
    }

    @Test func roundsEachLineOnItsOwnNotTheirSum() throws {
        // Two lines of 100 × 0.6% = 0.6 cent each round down to 0 and are left out, though a
        // single 1.2% line would pay 1 cent.
        let shop = """
            partner: shop
            match: { name: ["SHOP*"] }
            rules:
              - id: one
                reward: { percentage: 0.6% }
              - id: two
                reward: { percentage: 0.6% }
            """
        let decision = try DryRun(RulesFixture(partner: shop)).process(EventJSON.payment(amount: "1.00"))
        #expect(decision.status == .noReward)
        #expect(decision.lines.isEmpty)
        #expect(decision.cashback == 0)
    }

    @Test(arguments: [
        ("down", "0.10", 0),  // 10 × 5% = 0.5 cent
        ("half-up", "0.10", 1),
        ("half-even", "0.10", 0),
        ("down", "0.30", 1),  // 30 × 5% = 1.5 cents
        ("half-up", "0.30", 2),
        ("half-even", "0.30", 2),
    ])
    func usesTheProgramsRoundingMode(rounding: String, amount: String, cashback: Int) throws {
        let fixture = RulesFixture(partner: RulesFixture.partner(reward: "percentage: 5%"), program: "rounding: \(rounding)")
        #expect(try DryRun(fixture).cashback(EventJSON.payment(amount: amount)) == cashback)
    }
}
