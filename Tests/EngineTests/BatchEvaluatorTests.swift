import BuiltinPlugins
import Engine
import Testing
import Workload

/// The master/slave evaluation must equal sequential processing exactly (SPEC §4), whatever
/// the number of evaluators and the batch size.
@Suite struct BatchEvaluatorTests {
    static let rules: RuleSet = {
        let outcome = RuleLoader(registry: .builtin).load(
            sources: Workload().ruleFiles.map { RuleSource(relativePath: $0.path, displayPath: $0.path, text: $0.text) })
        precondition(outcome.diagnostics.isEmpty, "\(outcome.diagnostics)")
        return outcome.rules!
    }()

    static let inputs: [EventInput] = {
        return Workload().events(count: 3000, seed: 42).enumerated().map { index, line in
            switch EventParser.parse(line: Array(line.utf8)) {
            case .success(let event): return .event(event, EventOrigin(line: index + 1))
            case .failure(let error): return .invalid(error, EventOrigin(line: index + 1))
            }
        }
    }()

    static func sequential() throws -> [String] {
        let evaluator = Evaluator(rules: rules, explain: true)
        let state = InMemoryState()
        return try inputs.flatMap { try evaluator.process($0, state: state) }.map { $0.jsonLine() }
    }

    @Test func streamExercisesCapsBudgetsRefundsOrphansAndDuplicates() throws {
        let lines = try BatchEvaluatorTests.sequential()
        for needle in [
            #""status":"duplicate""#, #""status":"orphan""#, #""deferred":true"#, #""status":"clawback""#, #""warning""#,
            #""status":"no_reward","partner":"budgeted""#,
        ] {
            #expect(lines.contains { $0.contains(needle) }, "the stream has no \(needle)")
        }
        // The budget runs out: the partner's net cashback (awards less clawbacks) climbs to its
        // 150.00 budget and never beyond, refunds giving some back.
        let evaluator = Evaluator(rules: BatchEvaluatorTests.rules)
        let state = InMemoryState()
        var net = 0
        var peak = 0
        for input in BatchEvaluatorTests.inputs {
            for decision in try evaluator.process(input, state: state) {
                net += decision.lines.filter { $0.rule.hasPrefix("budgeted/") }.reduce(0) { $0 + $1.amount }
                peak = max(peak, net)
            }
        }
        #expect(peak <= 15_000)
        #expect(peak > 14_000)
    }

    @Test(arguments: [1, 2, 4], [1, 7, 512])
    func equalsSequentialProcessing(workers: Int, batchSize: Int) throws {
        let expected = try BatchEvaluatorTests.sequential()
        let batchEvaluator = BatchEvaluator(
            evaluator: Evaluator(rules: BatchEvaluatorTests.rules, explain: true), workers: workers)
        let state = InMemoryState()
        let queued = BatchEvaluatorTests.inputs.enumerated().map { QueuedEvent(sequence: Int64($0.offset), input: $0.element) }
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
        #expect(actual.count == expected.count)
        let firstDifference = zip(actual, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(
            firstDifference == nil,
            "first difference at \(firstDifference ?? -1): \(firstDifference.map { actual[$0] } ?? "") vs \(firstDifference.map { expected[$0] } ?? "")"
        )
    }
}
