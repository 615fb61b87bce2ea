import BuiltinPlugins
import Engine
import Testing

/// Integer arithmetic reachable from events and rule files stays total: no trap, no wrap
/// (issue 8, A). Overflow becomes an error or provably changes nothing.
@Suite struct EvaluationBoundsTests {
    static func rules(_ files: [(String, String)], registry: PluginRegistry = .builtin) throws -> RuleSet {
        let outcome = RuleLoader(registry: registry).load(
            sources: files.map { RuleSource(relativePath: $0.0, displayPath: "rules/" + $0.0, text: $0.1) })
        #expect(outcome.diagnostics.isEmpty, "\(outcome.diagnostics.map(\.description))")
        return try #require(outcome.rules)
    }

    static func payment(_ id: String, amount: String = "10000000000.00", account: String = "a1") -> EventInput {
        let line =
            #"{"id":"\#(id)","account":"\#(account)","occurred_at":"2026-11-02T10:00:00Z","amount":"\#(amount)","currency":"EUR","merchant":{"mid":"M1"}}"#
        switch EventParser.parse(line: Array(line.utf8)) {
        case .success(let event): return .event(event, EventOrigin())
        case .failure(let error): return .invalid(error, EventOrigin())
        }
    }

    /// Runs `body`, throwing the plugin failure of its `EvaluationError.plugin` (any other error as it is).
    static func pluginFailure(_ body: () throws -> SmallArray<Decision>) throws {
        do {
            _ = try body()
        } catch let error as EvaluationError {
            guard case .plugin(let failure) = error else { throw error }
            throw failure
        }
    }

    @Test func countOnlyLimitUsageThatWouldOverflowFailsThePaymentInsteadOfTrapping() throws {
        let rules = try EvaluationBoundsTests.rules([
            (
                "partners/p.yaml",
                """
                partner: p
                match: { mid: [M1] }
                rules:
                  - id: all
                    reward: { percentage: 100% }
                    limits:
                      - { per: all, period: lifetime, count: 1000000000 }
                """
            )
        ])
        let state = InMemoryState()
        let key = UsageKey(limit: "p/all#limit1", account: nil, period: PeriodKey(period: .lifetime, index: 0))
        // As if some 9.2 million payments of 10^12 minor units had been rewarded already.
        state.addUsage(key, amount: Int.max - 5, count: 7)
        let evaluator = Evaluator(rules: rules)
        #expect(throws: PluginFailure.self) {
            try EvaluationBoundsTests.pluginFailure { try evaluator.process(EvaluationBoundsTests.payment("p1"), state: state) }
        }
        // Nothing changed: the id is not seen and the usage is as it was.
        #expect(state.seenEvent("p1") == nil)
        #expect(state.usage(key) == Usage(amount: Int.max - 5, count: 7))
        // A payment that fits is still applied.
        let small = try evaluator.process(EvaluationBoundsTests.payment("p2", amount: "0.05"), state: state)
        #expect(small.first?.status == .rewarded)
        #expect(state.usage(key) == Usage(amount: Int.max, count: 8))
    }

    @Test func spendSumsSaturateInsteadOfTrappingAndStillPickTheTopTier() throws {
        let history = InMemoryHistory()
        let euro = try #require(Currency(code: "EUR"))
        for day in 0..<3 {
            history.recordPurchase(account: "a", at: nil, currency: euro, amount: Int.max / 2, day: day)
            history.recordPurchase(account: "a", at: nil, currency: euro, amount: Int.max / 2, day: day)
            history.recordPurchase(account: "a", at: nil, currency: euro, amount: 10, day: day)
        }
        #expect(history.spend(account: "a", at: nil, currency: euro, days: 0...0) == Int.max)
        #expect(history.spend(account: "a", at: nil, currency: euro, days: 0...2) == Int.max)
        #expect(history.spend(account: "a", at: nil, currency: euro, days: Int.min...Int.max) == Int.max)
    }

    @Test func limitRemainingIsTotalForAnyUsage() {
        let limit = Limit(id: "l", per: .account, period: .month, max: 1_000, count: nil, zone: .utc, summary: "l")
        #expect(limit.remaining(given: Usage(amount: Int.min, count: 0)) == 1_000)
        #expect(limit.remaining(given: Usage(amount: Int.max, count: 0)) == 0)
        #expect(limit.remaining(given: Usage(amount: 400, count: 0)) == 600)
    }

    /// A reward plugin that answers whatever it was configured to (a buggy third-party plugin).
    struct WildReward: RewardPlugin {
        static let kind = "wild"
        static let summary = "returns its configuration as minor units"
        static let example = "wild: huge"
        static let configurationSchema: JSONValue = .object([])
        let amount: ExactAmount

        init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
            switch try configuration.string() {
            case "huge": amount = ExactAmount(numerator: Int128(Int.max) * 4, denominator: 1)
            case "negative": amount = ExactAmount(numerator: -5, denominator: 1)
            default: amount = ExactAmount(minorUnits: 3)
            }
        }

        func reward(for payment: Payment) -> ExactAmount { amount }
    }

    @Test(arguments: ["huge", "negative"])
    func aRewardOutsideTheAmountRangeIsAPluginFailureNotATrap(kind: String) throws {
        var registry = PluginRegistry.builtin
        registry.register(WildReward.self)
        let rules = try EvaluationBoundsTests.rules(
            [("partners/p.yaml", "partner: p\nmatch: { mid: [M1] }\nrules:\n  - { id: w, reward: { wild: \(kind) } }\n")],
            registry: registry)
        let state = InMemoryState()
        #expect(throws: PluginFailure.self) {
            try EvaluationBoundsTests.pluginFailure {
                try Evaluator(rules: rules).process(EvaluationBoundsTests.payment("p1"), state: state)
            }
        }
        #expect(state.seenEvent("p1") == nil)
    }

    @Test func maximumRewardsOnEveryRuleOfAPartnerAndTheProgrammeAddUpExactly() throws {
        let rule = { (owner: String, index: Int) in "  - { id: \(owner)\(index), reward: { percentage: 100% } }" }
        let rules = try EvaluationBoundsTests.rules([
            ("program.yaml", "rules:\n" + (0..<200).map { rule("g", $0) }.joined(separator: "\n") + "\n"),
            (
                "partners/p.yaml",
                "partner: p\nmatch: { mid: [M1] }\nrules:\n" + (0..<200).map { rule("r", $0) }.joined(separator: "\n") + "\n"
            ),
        ])
        let state = InMemoryState()
        let evaluator = Evaluator(rules: rules)
        var total = 0
        for index in 0..<50 {
            let decisions = try evaluator.process(EvaluationBoundsTests.payment("p\(index)"), state: state)
            total += decisions.first?.cashback ?? 0
        }
        #expect(total == 50 * 400 * DecimalAmount.maximumMinorUnits)
    }

    @Test func comparisonTotalsPassIntMaxWithoutTrapping() throws {
        let euro = try #require(Currency(code: "EUR"))
        var comparison = RulesComparison(keepChanges: 0)
        let big = Decision(
            eventID: "p", kind: .payment, account: "a",
            outcome: .reward(
                Decision.Amounts(partner: "p", currency: euro, lines: [Decision.Line(rule: "p/r", amount: Int.max / 2)])))
        for _ in 0..<5 { comparison.add(base: [big], candidate: [big, big]) }
        let row = try #require(comparison.sortedRows.first)
        #expect(row.base.partnerFunded == Int128(Int.max / 2) * 5 && row.base.net == row.base.partnerFunded)
        #expect(row.delta == Int128(Int.max / 2) * 5)
        #expect(row.deltaPercent == "+100.00%")
        #expect(euro.format(row.delta) == "230584300921369395.15")
    }

    @Test func aStoredRecordWithImpossibleNanosecondsReadsAsNoRecordNotATrap() {
        let text =
            #"{"id":"p","account":"a","currency":"EUR","amount":100,"at":0,"ns":99999999999,"refunded":0,"released":false,"lines":[],"counts":[]}"#
        #expect(PaymentRecord(jsonText: text) == nil)
        #expect(PaymentRecord(jsonText: text.replacingOccurrences(of: "99999999999", with: "5")) != nil)
    }
}
