import BuiltinPlugins
import Engine
import Foundation
import Testing

/// `dry-run` and `diff` keep no part of the accounts' history that no rule reads: the decisions
/// are the same as with it, rules that read a part get it, and a plugin that reads a part it did
/// not declare fails its event instead of reading nothing.
@Suite struct HistorySkippingTests {
    static func decisions(_ rules: RuleSet, keeping kept: HistoryParts) throws -> [String] {
        let samples = CashbackBinary.repositoryRoot.appendingPathComponent("rules/samples/payments.jsonl")
        let evaluator = Evaluator(rules: rules, explain: true)
        let state = InMemoryState(keeping: kept)
        return try String(contentsOf: samples, encoding: .utf8).split(separator: "\n").flatMap { line in
            let input: EventInput =
                switch EventParser.parse(line: Array(line.utf8)) {
                case .success(let event): .event(event, .none)
                case .failure(let error): .invalid(error, .none)
                }
            return try evaluator.decisions(for: input, state: state).map { $0.jsonLine() }
        }
    }

    @Test func rulesThatReadNoSpendDecideTheSameWithoutIt() throws {
        let sources = [
            RuleSource(
                relativePath: "program.yaml", displayPath: "program.yaml",
                text:
                    "currency: EUR\ntimezone: Europe/Paris\nrounding: down\nlimits:\n  - { per: account, period: month, max: 5.00 }\n"
            ),
            RuleSource(
                relativePath: "partners/fnac.yaml", displayPath: "partners/fnac.yaml",
                text: """
                    partner: fnac
                    match:
                      name: ["FNAC*"]
                    rules:
                      - id: welcome
                        when:
                          - first_purchase: true
                        reward: { percentage: 5% }
                      - id: base
                        reward: { percentage: 1% }
                    """),
        ]
        let rules = try #require(RuleLoader(registry: .builtin).load(sources: sources).rules)
        #expect(!rules.readsSpendHistory)
        let with = try Self.decisions(rules, keeping: .all)
        #expect(with.contains { $0.contains(#""rule":"fnac/welcome""#) }, "the samples pay at Fnac")
        #expect(try Self.decisions(rules, keeping: rules.historyRead) == with)
    }

    @Test func theShippedRulesReadSpendSoItIsKept() throws {
        let rules = try #require(
            RuleLoader(registry: .builtin).load(directory: CashbackBinary.repositoryRoot.appendingPathComponent("rules").path)
                .rules)
        #expect(rules.readsSpendHistory, "carrefour's tiers are by spend")
        #expect(try Self.decisions(rules, keeping: .paymentCounts) != Self.decisions(rules, keeping: .all))
    }

    @Test func rulesThatReadNoHistoryDecideTheSameWithoutIt() throws {
        let sources = [
            RuleSource(
                relativePath: "program.yaml", displayPath: "program.yaml",
                text: "currency: EUR\nlimits:\n  - { per: account, period: month, max: 5.00 }\n"),
            RuleSource(
                relativePath: "partners/fnac.yaml", displayPath: "partners/fnac.yaml",
                text: "partner: fnac\nmatch:\n  name: [\"FNAC*\"]\nrules:\n  - { id: base, reward: { percentage: 3% } }\n"),
        ]
        let rules = try #require(RuleLoader(registry: .builtin).load(sources: sources).rules)
        #expect(rules.historyRead.isEmpty)
        let with = try Self.decisions(rules, keeping: .all)
        #expect(with.contains { $0.contains(#""rule":"fnac/base""#) }, "the samples pay at Fnac")
        #expect(try Self.decisions(rules, keeping: []) == with)
    }

    @Test func anUndeclaredReadFailsItsEventInsteadOfReadingNothing() throws {
        var registry = PluginRegistry.builtin
        registry.register(UndeclaredCountCondition.self)
        let sources = [
            RuleSource(relativePath: "program.yaml", displayPath: "program.yaml", text: "currency: EUR\n"),
            RuleSource(
                relativePath: "partners/shop.yaml", displayPath: "partners/shop.yaml",
                text:
                    "partner: shop\nmatch: { mid: [M1] }\nrules:\n  - { id: first, when: [undeclared_count: 0], reward: { flat: 1.00 } }\n"
            ),
        ]
        let rules = try #require(RuleLoader(registry: registry).load(sources: sources).rules)
        #expect(rules.historyRead.isEmpty, "the plugin did not declare its read")
        let line =
            #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"M1"}}"#
        let event = try EventParser.parse(line: Array(line.utf8)).get()
        let once = PluginFailurePolicy(attempts: 1, firstDelay: .zero) { _ in }
        let decisions = try Evaluator(rules: rules).decisions(
            for: .event(event, .none), state: InMemoryState(keeping: rules.historyRead), pluginFailures: once)
        #expect(decisions.map(\.status) == [.dead])
        #expect(decisions.first?.error?.contains("readsPaymentCounts") == true, "\(decisions.map { $0.jsonLine() })")
        // Kept, the same read decides.
        let kept = try Evaluator(rules: rules).decisions(for: .event(event, .none), state: InMemoryState(), pluginFailures: once)
        #expect(kept.map(\.status) == [.rewarded])
    }
}

/// A condition that reads the account's payment count without declaring `readsPaymentCounts`
/// (a third-party plugin that forgot to): holds when the count is the configured one.
struct UndeclaredCountCondition: ConditionPlugin {
    static let kind = "undeclared_count"
    static let summary = "reads the payment count without saying so"
    static let example = "undeclared_count: 0"
    static let configurationSchema: JSONValue = .object([])

    let count: Int

    init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        count = try configuration.count()
    }

    func holds(for payment: Payment) throws -> Bool { try payment.earlierPaymentCount == count }

    func explainFailure(for payment: Payment) -> String { "" }
}
