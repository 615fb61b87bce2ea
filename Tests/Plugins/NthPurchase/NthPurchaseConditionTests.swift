import BuiltinPlugins
import Engine
import PluginTestSupport
import Testing

@testable import NthPurchaseCondition

@Suite struct NthPurchaseConditionTests {
    static let cafe = """
        partner: cafe
        match: { name: ["CAFE*"] }
        rules:
          - id: base
            reward: { percentage: 5% }
        """

    /// The `shop` partner with one rule `r` (10%) that wants every `n`th payment.
    static func everyNth(_ n: Int) -> RulesFixture {
        RulesFixture(partner: RulesFixture.partner(when: "nth_purchase: { every: \(n) }"))
    }

    /// Which of the payments `ids` (at `SHOP ONE`, account `a1`, in order) the rule `rule` rewarded.
    static func rewarded(_ run: DryRun, _ ids: [String], rule: String = "shop/r", account: String = "a1") throws -> [String] {
        var rewarded: [String] = []
        for id in ids where try run.process(EventJSON.payment(id, account: account)).lines.contains(where: { $0.rule == rule }) {
            rewarded.append(id)
        }
        return rewarded
    }

    // MARK: configuration

    @Test(arguments: ["nth_purchase: { every: 2 }", "nth_purchase: { every: 5 }", "nth_purchase: { every: 100 }"])
    func acceptsAWholeNumberOfAtLeastTwo(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        ("nth_purchase: 5", "6:23", "expected a map with keys every, got '5'"),
        ("nth_purchase: [5]", "6:23", "expected a map with keys every, got a list"),
        ("nth_purchase: {}", "6:23", "missing required key 'every'"),
        ("nth_purchase: { every: }", "6:23", "missing required key 'every'"),
        ("nth_purchase: { evry: 5 }", "6:25", "unknown key 'evry'; did you mean 'every'? (expected one of: every)"),
        ("nth_purchase: { every: 5, of: shop }", "6:35", "unknown key 'of' (expected one of: every)"),
        ("nth_purchase: { every: 1 }", "6:32", "every: must be at least 2, got 1"),
        ("nth_purchase: { every: 0 }", "6:32", "every: must be at least 2, got 0"),
        ("nth_purchase: { every: -5 }", "6:32", "every: expected a whole number, got '-5'"),
        ("nth_purchase: { every: 2.5 }", "6:32", "every: expected a whole number, got '2.5'"),
        ("nth_purchase: { every: five }", "6:32", "every: expected a whole number, got 'five'"),
        ("nth_purchase: { every: [5] }", "6:32", "every: expected a whole number, got a list"),
    ])
    func rejectsAnythingButEveryNAtTheOffendingNode(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "nth_purchase", says: says)
    }

    @Test func aProgramRuleReportsItsErrorInProgramYAML() throws {
        let fixture = RulesFixture(program: RulesFixture.program(when: "nth_purchase: { every: 1 }"))
        expectDiagnostic(
            try fixture.diagnostic(), file: "rules/program.yaml", at: "4:32", rule: "program/r", plugin: "nth_purchase",
            says: "every: must be at least 2, got 1")
    }

    // MARK: evaluation at partner scope

    @Test func rewardsTheFifthAndTenthPaymentsOnly() throws {
        let run = try DryRun(Self.everyNth(5))
        let ids = (1...12).map { "p\($0)" }
        #expect(try Self.rewarded(run, ids) == ["p5", "p10"])
    }

    @Test func everySecondPaymentAlternates() throws {
        let run = try DryRun(Self.everyNth(2))
        #expect(try Self.rewarded(run, ["p1", "p2", "p3", "p4", "p5"]) == ["p2", "p4"])
    }

    @Test func theRewardIsTheRulesReward() throws {
        let run = try DryRun(Self.everyNth(2))
        #expect(try run.process(EventJSON.payment("p1", amount: "40.00")).status == .noReward)
        #expect(try run.process(EventJSON.payment("p2", amount: "40.00")).lines == [Decision.Line(rule: "shop/r", amount: 4_00)])
    }

    @Test func eachAccountCountsItsOwnPayments() throws {
        let run = try DryRun(Self.everyNth(3))
        var rewarded: [String] = []
        // a1 and a2 take turns: a1 pays p1, p3, p5…, a2 pays p2, p4, p6…
        for number in 1...12 {
            let account = number % 2 == 1 ? "a1" : "a2"
            let decision = try run.process(EventJSON.payment("p\(number)", account: account))
            if !decision.lines.isEmpty { rewarded.append("p\(number)") }
        }
        #expect(rewarded == ["p5", "p6", "p11", "p12"])  // each account's 3rd and 6th
    }

    @Test func onlyPaymentsAtThisPartnerCount() throws {
        let fixture = RulesFixture(
            partner: RulesFixture.partner(when: "nth_purchase: { every: 2 }"), otherFiles: ["partners/cafe.yaml": Self.cafe])
        let run = try DryRun(fixture)
        try run.process(EventJSON.payment("c1", name: "CAFE CENTRAL"))  // another partner
        try run.process(EventJSON.payment("b1", name: "BAKERY"))  // no partner
        try run.process(EventJSON.payment("u1", currency: "USD"))  // not in shop's currency: not shop's
        #expect(try Self.rewarded(run, ["p1", "p2", "p3", "p4"]) == ["p2", "p4"])
    }

    @Test func paymentsThatEarnNothingStillCount() throws {
        // The rule also wants 50.00 or more: the 2nd payment is too small, and the 4th is rewarded.
        let shop = """
            partner: shop
            match: { name: ["SHOP*"] }
            rules:
              - id: r
                when:
                  - nth_purchase: { every: 2 }
                  - amount: { min: 50.00 }
                reward: { percentage: 10% }
            """
        let run = try DryRun(RulesFixture(partner: shop))
        let amounts = ["100.00", "10.00", "100.00", "100.00"]
        let statuses = try amounts.enumerated().map {
            try run.process(EventJSON.payment("p\($0.offset + 1)", amount: $0.element)).status
        }
        #expect(statuses == [.noReward, .noReward, .noReward, .rewarded])
    }

    @Test func refundsAndReversalsDoNotChangeTheCount() throws {
        let run = try DryRun(Self.everyNth(3))
        try run.process(EventJSON.payment("p1"))
        try run.process(EventJSON.refund("r1", of: "p1", amount: "100.00"))  // fully refunded: still a payment
        try run.process(EventJSON.payment("p2"))
        try run.process(EventJSON.refund("r2", of: "p2", amount: "10.00"))
        let reversal = #"{"id":"v2","type":"reversal","original_id":"p2","occurred_at":"2026-11-25T12:00:00Z"}"#
        try run.process(reversal)
        #expect(try run.process(EventJSON.payment("p3")).lines == [Decision.Line(rule: "shop/r", amount: 10_00)])
        #expect(try Self.rewarded(run, ["p4", "p5", "p6"]) == ["p6"])
    }

    @Test func aRefundOfTheRewardedPaymentClawsBackAndTheCountGoesOn() throws {
        let run = try DryRun(Self.everyNth(2))
        try run.process(EventJSON.payment("p1"))
        #expect(try run.process(EventJSON.payment("p2")).cashback == 10_00)
        #expect(try run.process(EventJSON.refund("r2", of: "p2", amount: "100.00")).cashback == -10_00)
        #expect(try Self.rewarded(run, ["p3", "p4"]) == ["p4"])
    }

    // MARK: evaluation at programme scope

    @Test func programRulesCountPaymentsAnywhere() throws {
        let fixture = RulesFixture(
            partner: RulesFixture.partner(reward: "percentage: 10%"),
            program: RulesFixture.program(when: "nth_purchase: { every: 3 }"),
            otherFiles: ["partners/cafe.yaml": Self.cafe])
        let run = try DryRun(fixture)
        try run.process(EventJSON.payment("p1", name: "CAFE CENTRAL"))
        try run.process(EventJSON.payment("p2", name: "BAKERY"))
        #expect(try run.process(EventJSON.payment("p3")).lines.map(\.rule) == ["shop/r", "program/r"])
        try run.process(EventJSON.payment("p4", currency: "USD", name: "BAKERY"))  // counts, though it earns nothing
        try run.process(EventJSON.payment("p5", name: "BAKERY"))
        #expect(
            try run.process(EventJSON.payment("p6", name: "BAKERY")).lines == [Decision.Line(rule: "program/r", amount: 1_00)])
        #expect(try run.process(EventJSON.payment("p7", account: "a2", name: "BAKERY")).lines == [])
    }

    @Test(arguments: [1, 4], [1, 3, 64])
    func theParallelSchedulerCountsLikeSequentialProcessing(workers: Int, batchSize: Int) throws {
        let fixture = RulesFixture(
            partner: RulesFixture.partner(when: "nth_purchase: { every: 2 }"),
            program: RulesFixture.program(when: "nth_purchase: { every: 3 }"),
            otherFiles: ["partners/cafe.yaml": Self.cafe])
        let rules = try fixture.rules()
        var lines: [String] = []
        for number in 1...40 {
            let merchant = ["SHOP ONE", "CAFE CENTRAL", "BAKERY"][number % 3]
            lines.append(EventJSON.payment("p\(number)", account: "a\(number % 4)", name: merchant))
            if number % 7 == 0 { lines.append(EventJSON.refund("r\(number)", of: "p\(number)", amount: "100.00")) }
        }
        let inputs = try lines.map { EventInput.event(try EventParser.parse(line: Array($0.utf8)).get(), .none) }

        let sequentialState = InMemoryState()
        let evaluator = Evaluator(rules: rules)
        let expected = try inputs.flatMap { try evaluator.process($0, state: sequentialState).map { $0.jsonLine() } }

        let batchEvaluator = BatchEvaluator(evaluator: evaluator, workers: workers)
        let state = InMemoryState()
        let queued = inputs.enumerated().map { QueuedEvent(sequence: Int64($0.offset), input: $0.element) }
        var actual: [String] = []
        for start in stride(from: 0, to: queued.count, by: batchSize) {
            for outcome in try batchEvaluator.evaluate(Array(queued[start..<min(start + batchSize, queued.count)]), state: state)
            {
                guard case .decided(let decisions) = outcome else {
                    Issue.record("no plugin fails in this stream")
                    continue
                }
                actual += decisions.map { $0.jsonLine() }
            }
        }
        #expect(actual == expected)
        #expect(expected.contains { $0.contains("program/r") } && expected.contains { $0.contains("shop/r") })
    }

    // MARK: explanations

    @Test func explainsAFailureInWords() throws {
        let run = try DryRun(Self.everyNth(5), explain: true)
        try run.process(EventJSON.payment("p1"))
        try run.process(EventJSON.payment("p2"))
        #expect(
            try run.failure(of: "shop/r", EventJSON.payment("p3"))
                == "this is the account's 3rd payment at shop; rule wants every 5th")
        #expect(
            try run.failure(of: "shop/r", EventJSON.payment("p4"))
                == "this is the account's 4th payment at shop; rule wants every 5th")
        #expect(try run.failure(of: "shop/r", EventJSON.payment("p5")) == nil)
    }

    @Test func explainsAProgramFailureAsAnywhere() throws {
        let run = try DryRun(RulesFixture(program: RulesFixture.program(when: "nth_purchase: { every: 2 }")), explain: true)
        #expect(
            try run.failure(of: "program/r", EventJSON.payment("p1", name: "BAKERY"))
                == "this is the account's 1st payment anywhere; rule wants every 2nd")
    }

    @Test(arguments: [
        (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (10, "10th"), (11, "11th"), (12, "12th"), (13, "13th"),
        (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th"), (112, "112th"),
    ])
    func ordinalsReadAsEnglish(number: Int, text: String) {
        #expect(NthPurchaseCondition.ordinal(number) == text)
    }

    // MARK: documentation

    @Test(arguments: [false, true])
    func exampleLoadsAsAWhenItemWithoutDiagnostics(asProgramRule: Bool) {
        expectExampleLoads(kind: NthPurchaseCondition.kind, example: NthPurchaseCondition.example, asProgramRule: asProgramRule)
    }

    @Test func docCommentExampleLoadsWithoutDiagnostics() throws {
        try expectDocCommentExampleLoads(folder: "NthPurchase", file: "NthPurchaseCondition.swift")
    }

    @Test func theBuiltinRegistryHasTheKind() {
        #expect(PluginRegistry.builtin.conditions["nth_purchase"] != nil)
    }
}
