import Engine
import PaymentConditions
import PluginTestSupport
import Testing

@Suite struct AmountConditionTests {
    // MARK: configuration

    @Test(arguments: [
        "amount: { min: 50.00, max: 500.00 }",
        "amount: { min: 50.00 }",
        "amount: { max: 500.5 }",
        "amount: { min: 50 }",
        "amount: { min: 50.00, max: 50.00 }",
    ])
    func acceptsEitherOrBothBounds(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        ("amount: {}", "6:17", "expected min, max or both"),
        ("amount: 50.00", "6:17", "expected a map with keys min, max, got '50.00'"),
        ("amount: { min: 50.001 }", "6:24", "min: '50.001' has more fraction digits than EUR allows (2)"),
        ("amount: { min: fifty }", "6:24", "min: 'fifty' is not an amount (digits[.digits])"),
        ("amount: { min: -5.00 }", "6:24", "min: '-5.00' is not an amount (digits[.digits])"),
        ("amount: { min: 60.00, max: 50.00 }", "6:36", "max: max is below min"),
        ("amount: { mn: 50.00 }", "6:19", "unknown key 'mn'; did you mean 'min'? (expected one of: min, max)"),
    ])
    func rejectsMalformedBoundsAtTheOffendingNode(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "amount", says: says)
    }

    @Test func rejectsMoreFractionDigitsThanTheFileCurrencyHas() throws {
        let fixture = RulesFixture(partner: RulesFixture.partner(when: "amount: { min: 1.5 }", trailer: "currency: JPY"))
        expectDiagnostic(
            try fixture.diagnostic(), at: "6:24", plugin: "amount",
            says: "min: '1.5' has more fraction digits than JPY allows (0)")
    }

    @Test func rejectsMoneyInACurrencyAnyFile() throws {
        let fixture = RulesFixture(partner: RulesFixture.partner(when: "amount: { min: 50.00 }", trailer: "currency: any"))
        expectDiagnostic(
            try fixture.diagnostic(), at: "6:24", plugin: "amount",
            says: "min: money amount '50.00' in a file with `currency: any`; set the file's currency")
    }

    // MARK: evaluation

    /// `percentage: 10%` of the amount when the condition holds, nothing otherwise.
    @Test(arguments: [
        ("49.99", 0),
        ("50.00", 5_00),  // min is inclusive
        ("123.45", 12_34),
        ("500.00", 50_00),  // max is inclusive
        ("500.01", 0),
    ])
    func holdsWithinInclusiveBounds(amount: String, cashback: Int) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "amount: { min: 50.00, max: 500.00 }")))
        #expect(try run.cashback(EventJSON.payment(amount: amount)) == cashback)
    }

    @Test(arguments: [
        ("amount: { min: 50.00 }", "1000000.00", true),
        ("amount: { min: 50.00 }", "0.01", false),
        ("amount: { max: 10.00 }", "1.00", true),
        ("amount: { max: 10.00 }", "1000000.00", false),
    ])
    func anOmittedBoundIsOpen(condition: String, amount: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: condition)))
        #expect(try run.process(EventJSON.payment(amount: amount)).lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    @Test(arguments: [("999", 0), ("1000", 100)])
    func boundsAreInTheFileCurrencyMinorUnits(amount: String, cashback: Int) throws {
        // JPY has no minor digits: `min: 1000` is 1000 yen; 10% of 1000 JPY is 100 JPY.
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "amount: { min: 1000 }", trailer: "currency: JPY")))
        #expect(try run.cashback(EventJSON.payment(amount: amount, currency: "JPY")) == cashback)
    }

    @Test func explainsAFailureInWords() throws {
        let run = try DryRun(
            RulesFixture(partner: RulesFixture.partner(when: "amount: { min: 50.00, max: 500.00 }")), explain: true)
        #expect(
            try run.failure(of: "shop/r", EventJSON.payment(amount: "49.99"))
                == "amount is 49.99; rule wants min 50.00, max 500.00")
    }
}
