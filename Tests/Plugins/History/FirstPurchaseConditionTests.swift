import Engine
import HistoryConditions
import PluginTestSupport
import Testing

@Suite struct FirstPurchaseConditionTests {
    static let cafe = """
        partner: cafe
        match: { name: ["CAFE*"] }
        rules:
          - id: base
            reward: { percentage: 5% }
        """

    // MARK: configuration

    @Test(arguments: ["first_purchase: true", "first_purchase: false"])
    func acceptsTrueOrFalse(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        ("first_purchase: maybe", "6:25", "expected true or false, got 'maybe'"),
        ("first_purchase: [true]", "6:25", "expected true or false, got a list"),
        ("first_purchase: { at: shop }", "6:25", "expected true or false, got a map"),
    ])
    func rejectsAnythingButABoolean(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "first_purchase", says: says)
    }

    // MARK: evaluation at partner scope

    @Test func holdsOnTheAccountsFirstPaymentAtThisPartnerOnly() throws {
        let fixture = RulesFixture(
            partner: RulesFixture.partner(when: "first_purchase: true"), otherFiles: ["partners/cafe.yaml": Self.cafe])
        let run = try DryRun(fixture)
        try run.process(EventJSON.payment("p0", account: "a1", name: "CAFE CENTRAL"))  // elsewhere: does not count
        try run.process(EventJSON.payment("p1", account: "a1", name: "BAKERY"))  // no partner: does not count
        #expect(try run.process(EventJSON.payment("p2", account: "a1")).lines.map(\.rule) == ["shop/r"])
        #expect(try run.process(EventJSON.payment("p3", account: "a1", amount: "100.00")).lines == [])
        #expect(try run.process(EventJSON.payment("p4", account: "a2", amount: "100.00")).lines.map(\.rule) == ["shop/r"])
    }

    @Test func falseHoldsFromTheSecondPaymentOn() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "first_purchase: false")))
        #expect(try run.process(EventJSON.payment("p1")).lines == [])
        #expect(try run.process(EventJSON.payment("p2")).lines.map(\.rule) == ["shop/r"])
        #expect(try run.process(EventJSON.payment("p3")).lines.map(\.rule) == ["shop/r"])
    }

    @Test func aRefundedFirstPurchaseStillCounts() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "first_purchase: true")))
        #expect(try run.process(EventJSON.payment("p1", amount: "100.00")).cashback == 10_00)
        #expect(try run.process(EventJSON.refund("r1", of: "p1", amount: "100.00")).cashback == -10_00)
        #expect(try run.process(EventJSON.payment("p2", amount: "100.00")).lines == [])
    }

    @Test func aPaymentWithNoRewardStillCounts() throws {
        // The rule also wants 50.00 or more: the first payment is too small to earn anything,
        // yet it is the first purchase, so the second one is not.
        let shop = """
            partner: shop
            match: { name: ["SHOP*"] }
            rules:
              - id: r
                when:
                  - first_purchase: true
                  - amount: { min: 50.00 }
                reward: { percentage: 10% }
            """
        let run = try DryRun(RulesFixture(partner: shop))
        #expect(try run.process(EventJSON.payment("p1", amount: "10.00")).status == .noReward)
        #expect(try run.process(EventJSON.payment("p2", amount: "100.00")).status == .noReward)
    }

    // MARK: evaluation at programme scope

    @Test func programRulesHoldOnTheAccountsFirstPaymentAnywhere() throws {
        let fixture = RulesFixture(
            partner: RulesFixture.partner(reward: "percentage: 10%"), program: RulesFixture.program(when: "first_purchase: true"),
            otherFiles: ["partners/cafe.yaml": Self.cafe])
        let run = try DryRun(fixture)
        let first = try run.process(EventJSON.payment("p1", account: "a1", amount: "100.00"))
        #expect(first.lines == [Decision.Line(rule: "shop/r", amount: 10_00), Decision.Line(rule: "program/r", amount: 1_00)])
        // A first payment at cafe, but not the account's first payment.
        #expect(try run.process(EventJSON.payment("p2", account: "a1", name: "CAFE CENTRAL")).lines.map(\.rule) == ["cafe/base"])
        // Payments without a partner count too.
        #expect(try run.process(EventJSON.payment("p3", account: "a2", name: "BAKERY")).lines.map(\.rule) == ["program/r"])
        #expect(try run.process(EventJSON.payment("p4", account: "a2")).lines.map(\.rule) == ["shop/r"])
    }

    @Test func anEarlierPaymentInAnotherCurrencyCountsForProgramRules() throws {
        // Programme rules only pay in the programme's currency, but "no earlier payment at all"
        // includes payments in other currencies.
        let run = try DryRun(RulesFixture(program: RulesFixture.program(when: "first_purchase: true")))
        #expect(try run.process(EventJSON.payment("p1", currency: "USD", name: "BAKERY")).lines == [])
        #expect(try run.process(EventJSON.payment("p2", name: "BAKERY")).lines == [])
    }

    @Test func programFalseHoldsFromTheSecondPaymentAnywhere() throws {
        let run = try DryRun(RulesFixture(program: RulesFixture.program(when: "first_purchase: false")))
        #expect(try run.process(EventJSON.payment("p1", name: "BAKERY")).lines == [])
        #expect(
            try run.process(EventJSON.payment("p2", name: "BUTCHER")).lines == [Decision.Line(rule: "program/r", amount: 1_00)])
    }

    @Test func explainsAFailureInWords() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "first_purchase: true")), explain: true)
        try run.process(EventJSON.payment("p1"))
        #expect(
            try run.failure(of: "shop/r", EventJSON.payment("p2"))
                == "the account paid at shop before; rule wants a first purchase")
    }
}
