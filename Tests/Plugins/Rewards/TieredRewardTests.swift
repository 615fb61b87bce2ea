import Engine
import PluginTestSupport
import StandardRewards
import Testing

@Suite struct TieredRewardTests {
    static let cafe = """
        partner: cafe
        match: { name: ["CAFE*"] }
        rules:
          - id: base
            reward: { percentage: 5% }
        """

    // MARK: configuration

    @Test(arguments: [
        "tiered: { tiers: [{ from: 0, rate: 1% }] }",
        "tiered: { tiers: [{ from: 0.00, rate: 1% }, { from: 100.00, rate: 2% }] }",
        "tiered: { by: amount, mode: whole, tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }] }",
        "tiered: { by: amount, mode: marginal, tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }] }",
        "tiered: { by: spend, period: month, tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }] }",
        "tiered: { by: spend, period: lifetime, mode: whole, tiers: [{ from: 0, rate: 1% }, { from: 1000, rate: 2% }] }",
    ])
    func acceptsTiersByAmountOrBySpend(reward: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(reward: reward)).rules()
    }

    @Test(arguments: [
        ("tiered: { period: month, tiers: [{ from: 0, rate: 1% }] }", "6:25", "period: period is only for by: spend"),
        ("tiered: { by: amount, period: month, tiers: [{ from: 0, rate: 1% }] }", "6:37", "period: period is only for by: spend"),
        (
            "tiered: { by: spend, tiers: [{ from: 0, rate: 1% }] }", "6:15",
            "by: spend needs a period (day, week, month, year or lifetime)"
        ),
        (
            "tiered: { by: spend, period: month, mode: marginal, tiers: [{ from: 0, rate: 1% }] }", "6:49",
            "mode: marginal works only with by: amount"
        ),
        ("tiered: { by: count, tiers: [{ from: 0, rate: 1% }] }", "6:21", "by: 'count': expected amount | spend"),
        ("tiered: { mode: flat, tiers: [{ from: 0, rate: 1% }] }", "6:23", "mode: 'flat': expected whole | marginal"),
        (
            "tiered: { by: spend, period: quarter, tiers: [{ from: 0, rate: 1% }] }", "6:36",
            "period: 'quarter': expected day | week | month | year | lifetime"
        ),
        ("tiered: { by: amount }", "6:15", "missing required key 'tiers'"),
        ("tiered: { tiers: [] }", "6:15", "expected at least one tier"),
        ("tiered: { tiers: [{ from: 0 }] }", "6:25", "tiers[0]: missing required key 'rate'"),
        (
            "tiered: { tiers: [{ from: 0, rate: 1%, upto: 3 }] }", "6:46",
            "tiers[0]: unknown key 'upto' (expected one of: from, rate)"
        ),
        ("tiered: { tiers: [{ from: 0, rate: 150% }] }", "6:42", "tiers[0].rate: '150%' must be at most 100%"),
        (
            "tiered: { tiers: [{ from: 0, rate: 1% }, { from: 100.001, rate: 2% }] }", "6:56",
            "tiers[1].from: '100.001' has more fraction digits than EUR allows (2)"
        ),
    ])
    func rejectsInconsistentSettingsAtTheOffendingNode(reward: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(reward: reward)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "tiered", says: says)
    }

    @Test(arguments: [
        ("tiered: { tiers: [{ from: 10.00, rate: 1% }] }", "6:33", "tiers[0].from: the first tier must start at from: 0"),
        (
            "tiered: { tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }, { from: 50.00, rate: 3% }] }", "6:84",
            "tiers[2].from: tiers must have strictly increasing from"
        ),
        (
            "tiered: { tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }, { from: 100.00, rate: 3% }] }", "6:84",
            "tiers[2].from: tiers must have strictly increasing from"
        ),
        (
            "tiered: { tiers: [{ from: 0, rate: 1% }, { from: 0, rate: 2% }] }", "6:56",
            "tiers[1].from: tiers must have strictly increasing from"
        ),
    ])
    func rejectsTiersOutOfOrderAtTheOffendingFrom(reward: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(reward: reward)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "tiered", says: says)
    }

    /// SPEC §8: a tier `from` is a money amount, and any money amount in a `currency: any` file
    /// is a lint error, `from: 0` included.
    @Test func rejectsTierAmountsInACurrencyAnyFile() throws {
        let reward = "tiered: { tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }] }"
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(reward: reward, trailer: "currency: any")).diagnostic()
        expectDiagnostic(
            diagnostic, at: "6:33", plugin: "tiered",
            says: "tiers[0].from: money amount '0' in a file with `currency: any`; set the file's currency")
    }

    // MARK: evaluation by amount

    static let threeTiers = "tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }, { from: 500.00, rate: 3% }]"

    @Test(arguments: [
        ("99.99", 99),  // 9999 × 1% = 99.99 cents → 99
        ("100.00", 200),  // from is inclusive: 10000 × 2%
        ("250.00", 500),  // 25000 × 2%
        ("499.99", 999),  // 49999 × 2% = 999.98 cents → 999
        ("500.00", 1500),  // 50000 × 3%
    ])
    func wholeAppliesTheTierOfTheAmountToAllOfIt(amount: String, cashback: Int) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: "tiered: { mode: whole, \(Self.threeTiers) }")))
        #expect(try run.cashback(EventJSON.payment(amount: amount)) == cashback)
    }

    @Test(arguments: [
        ("99.99", 99),  // 9999 × 1% = 99.99 → 99
        ("100.00", 100),  // 10000 × 1%; the 2% slice is empty
        ("100.50", 101),  // 10000 × 1% + 50 × 2% = 100 + 1
        ("250.00", 400),  // 10000 × 1% + 15000 × 2% = 100 + 300
        ("600.00", 1200),  // 10000 × 1% + 40000 × 2% + 10000 × 3% = 100 + 800 + 300
    ])
    func marginalRatesEachSliceLikeTaxBrackets(amount: String, cashback: Int) throws {
        let run = try DryRun(
            RulesFixture(partner: RulesFixture.partner(reward: "tiered: { mode: marginal, \(Self.threeTiers) }")))
        #expect(try run.cashback(EventJSON.payment(amount: amount)) == cashback)
    }

    @Test func marginalRoundsOnceAfterAddingTheSlices() throws {
        // 1.50: 100 × 0.5% = 0.5 cent + 50 × 1.5% = 0.75 cent = 1.25 cents → 1 cent
        // (rounding each slice first would give 0 + 0).
        let reward = "tiered: { mode: marginal, tiers: [{ from: 0, rate: 0.5% }, { from: 1.00, rate: 1.5% }] }"
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: reward)))
        #expect(try run.cashback(EventJSON.payment(amount: "1.50")) == 1)
    }

    @Test func defaultsToWholeByAmount() throws {
        // 250.00 in the 2% tier: whole gives 25000 × 2% = 500; marginal would give 100 + 300 = 400.
        let reward = "tiered: { tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }] }"
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: reward)))
        #expect(try run.cashback(EventJSON.payment(amount: "250.00")) == 500)
    }

    // MARK: evaluation by spend

    static let bySpend = "tiered: { by: spend, period: month, tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 5% }] }"

    @Test func spendIsEarlierPaymentsInTheSameMonthExcludingThisOne() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: Self.bySpend)))
        // Spend 0 → 1% of 80.00 = 0.80.
        #expect(try run.cashback(EventJSON.payment("p1", at: "2026-11-05T12:00:00Z", amount: "80.00")) == 80)
        // Spend 80.00 → 1% of 50.00 = 0.50 (this payment is not included, though 80 + 50 ≥ 100).
        #expect(try run.cashback(EventJSON.payment("p2", at: "2026-11-10T12:00:00Z", amount: "50.00")) == 50)
        // Spend 130.00 → 5% of 10.00 = 0.50.
        #expect(try run.cashback(EventJSON.payment("p3", at: "2026-11-12T12:00:00Z", amount: "10.00")) == 50)
        // December starts again from 0 → 1% of 10.00 = 0.10.
        #expect(try run.cashback(EventJSON.payment("p4", at: "2026-12-01T00:00:00Z", amount: "10.00")) == 10)
    }

    @Test func refundsDoNotReduceSpend() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: Self.bySpend)))
        #expect(try run.cashback(EventJSON.payment("p1", at: "2026-11-05T12:00:00Z", amount: "120.00")) == 1_20)
        #expect(try run.cashback(EventJSON.refund("r1", of: "p1", amount: "120.00", at: "2026-11-06T12:00:00Z")) == -1_20)
        // Spend is still the gross 120.00 → 5% of 10.00 = 0.50.
        #expect(try run.cashback(EventJSON.payment("p2", at: "2026-11-07T12:00:00Z", amount: "10.00")) == 50)
    }

    @Test func spendIsThisAccountsAtThisPartnerOnly() throws {
        let fixture = RulesFixture(
            partner: RulesFixture.partner(reward: Self.bySpend), otherFiles: ["partners/cafe.yaml": Self.cafe])
        let run = try DryRun(fixture)
        try run.process(
            EventJSON.payment("p1", account: "a1", at: "2026-11-05T12:00:00Z", amount: "200.00", name: "CAFE CENTRAL"))
        try run.process(EventJSON.payment("p2", account: "a1", at: "2026-11-05T12:00:00Z", amount: "200.00", name: "BAKERY"))
        try run.process(EventJSON.payment("p3", account: "a2", at: "2026-11-05T12:00:00Z", amount: "200.00"))
        // a1 has spent nothing at shop → 1% of 10.00 = 0.10.
        #expect(try run.cashback(EventJSON.payment("p4", account: "a1", at: "2026-11-06T12:00:00Z", amount: "10.00")) == 10)
    }

    @Test func spendCountsPaymentsProcessedEarlierInTheLatePaymentsOwnMonth() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: Self.bySpend)))
        #expect(try run.cashback(EventJSON.payment("p1", at: "2026-11-20T12:00:00Z", amount: "150.00")) == 1_50)
        // Occurred before p1 but processed after it, in the same month: spend 150.00 → 5%.
        #expect(try run.cashback(EventJSON.payment("p2", at: "2026-11-01T12:00:00Z", amount: "10.00")) == 50)
        // Processed late but in October: spend 0 → 1%.
        #expect(try run.cashback(EventJSON.payment("p3", at: "2026-10-31T12:00:00Z", amount: "10.00")) == 10)
    }

    @Test func periodsAreInThePartnersTimeZone() throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: Self.bySpend, trailer: "timezone: Europe/Paris")))
        #expect(try run.cashback(EventJSON.payment("p1", at: "2026-11-15T12:00:00Z", amount: "150.00")) == 1_50)
        // 30 November 23:30 in Paris: still November, spend 150.00 → 5%.
        #expect(try run.cashback(EventJSON.payment("p2", at: "2026-11-30T22:30:00Z", amount: "10.00")) == 50)
        // 1 December 00:30 in Paris: a new month, spend 0 → 1%.
        #expect(try run.cashback(EventJSON.payment("p3", at: "2026-11-30T23:30:00Z", amount: "10.00")) == 10)
    }

    @Test func programRulesCountSpendAnywhere() throws {
        let program = """
            rules:
              - id: r
                reward: { tiered: { by: spend, period: month, tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }] } }
            """
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: "percentage: 10%"), program: program))
        // No partner; spend 0 → 1% of 100.00 = 1.00.
        let unattributed = try run.process(EventJSON.payment("p1", amount: "100.00", name: "BAKERY"))
        #expect(unattributed.lines == [Decision.Line(rule: "program/r", amount: 1_00)])
        // At shop; spend anywhere 100.00 → 2% of 10.00 = 0.20, on top of shop's 10% = 1.00.
        let decision = try run.process(EventJSON.payment("p2", amount: "10.00"))
        #expect(decision.lines == [Decision.Line(rule: "shop/r", amount: 1_00), Decision.Line(rule: "program/r", amount: 20)])
    }

    /// 150.00 paid at `first`, then 10.00 at `second`: 5% of 10.00 = 0.50 when both fall in one
    /// period (spend 150.00), else 1% = 0.10.
    @Test(arguments: [
        ("day", "2026-11-24T23:59:59Z", "2026-11-24T00:00:00Z", 50),
        ("day", "2026-11-24T12:00:00Z", "2026-11-25T00:00:00Z", 10),
        ("week", "2026-11-23T00:00:00Z", "2026-11-29T23:59:59Z", 50),  // Monday to Sunday
        ("week", "2026-11-29T12:00:00Z", "2026-11-30T00:00:00Z", 10),  // Sunday, then Monday: a new ISO week
        ("month", "2026-11-01T00:00:00Z", "2026-11-30T23:59:59Z", 50),
        ("year", "2026-01-01T00:00:00Z", "2026-12-31T23:59:59Z", 50),
        ("year", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z", 10),
        ("lifetime", "2020-01-01T00:00:00Z", "2040-01-01T00:00:00Z", 50),
    ])
    func spendIsCountedPerPeriod(period: String, first: String, second: String, cashback: Int) throws {
        let reward = "tiered: { by: spend, period: \(period), tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 5% }] }"
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(reward: reward)))
        try run.process(EventJSON.payment("p1", at: first, amount: "150.00"))
        #expect(try run.cashback(EventJSON.payment("p2", at: second, amount: "10.00")) == cashback)
    }
}
