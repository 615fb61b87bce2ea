import BuiltinPlugins
import Engine
import Foundation
import Testing

/// `dry-run` and `diff` keep no spend history when no rule reads it: the decisions are the same
/// as with it, and rules that read spend get it.
@Suite struct SpendHistorySkippingTests {
    static func decisions(_ rules: RuleSet, recordingSpend: Bool) throws -> [String] {
        let samples = CashbackBinary.repositoryRoot.appendingPathComponent("rules/samples/payments.jsonl")
        let evaluator = Evaluator(rules: rules, explain: true)
        let state = InMemoryState(recordingSpend: recordingSpend)
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
        let with = try Self.decisions(rules, recordingSpend: true)
        #expect(with.contains { $0.contains(#""rule":"fnac/welcome""#) }, "the samples pay at Fnac")
        #expect(try Self.decisions(rules, recordingSpend: false) == with)
    }

    @Test func theShippedRulesReadSpendSoItIsKept() throws {
        let rules = try #require(
            RuleLoader(registry: .builtin).load(directory: CashbackBinary.repositoryRoot.appendingPathComponent("rules").path)
                .rules)
        #expect(rules.readsSpendHistory, "carrefour's tiers are by spend")
        #expect(try Self.decisions(rules, recordingSpend: false) != Self.decisions(rules, recordingSpend: true))
    }
}
