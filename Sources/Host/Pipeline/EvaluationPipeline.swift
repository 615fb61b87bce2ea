import Engine
import Foundation

/// `dry-run` and `diff` on both cores. One thread reads and parses the events, one thread per
/// rule set evaluates them in a fresh in-memory state of its own, and the calling thread prints.
/// Only the decisions need the sequential order of SPEC §4, and every stage keeps it: events go
/// from stage to stage in batches, first in, first out.
struct EvaluationPipeline {
    /// Reads the events: calls `emit` with each input, in order. Runs on a thread of its own.
    typealias Reader = @Sendable (_ emit: (EventInput) -> Void) throws -> Void

    /// What one rule set's thread hands to the printing thread.
    private enum Evaluated: Sendable {
        /// The decisions of a batch of events, one array per event.
        case decisions([[Decision]])
        /// The end of the events, with the orphans still waiting for their payments.
        case end(unresolvedOrphans: [Orphan])
    }

    /// Events handed over at a time: enough that threads rarely wait on each other, few enough
    /// that the batches in flight hold little memory.
    static let batchSize = 256
    /// Batches waiting between two stages.
    static let depth = 16

    /// The rule sets, each evaluated in its own state.
    let evaluators: [Evaluator]

    /// Runs the pipeline. Calls `body` on this thread with each event's decisions under each
    /// rule set (in the order of `evaluators`), event after event, and returns each rule set's
    /// unresolved orphans. Throws the reader's error after the decisions of the events read
    /// before it, or a state's error (the in-memory state does not fail).
    func run(read: @escaping Reader, body: (_ decisions: [[Decision]]) -> Void) throws -> [[Orphan]] {
        let inputs = evaluators.map { _ in Handover<[EventInput]>(capacity: Self.depth) }
        let outputs = evaluators.map { _ in Handover<Evaluated>(capacity: Self.depth) }
        Self.startThread(named: "read") { Self.readBatches(read, into: inputs) }
        for (index, (evaluator, (input, output))) in zip(evaluators, zip(inputs, outputs)).enumerated() {
            Self.startThread(named: "evaluate \(index + 1)") { Self.evaluate(input, with: evaluator, into: output) }
        }
        do {
            while true {
                let messages = try outputs.map { try $0.receive() }
                guard case .decisions(let first)? = messages.first else {
                    return messages.map { message in
                        guard case .end(let orphans)? = message else { return [] }
                        return orphans
                    }
                }
                let batches = messages.map { message -> [[Decision]] in
                    guard case .decisions(let decisions)? = message else { return [] }
                    return decisions
                }
                for event in first.indices { body(batches.map { $0[event] }) }
            }
        } catch {
            for output in outputs { output.cancel() }
            throw error
        }
    }

    /// The reading stage: batches of inputs, each sent to every rule set's thread.
    private static func readBatches(_ read: Reader, into inputs: [Handover<[EventInput]>]) {
        var batch: [EventInput] = []
        batch.reserveCapacity(batchSize)
        func send() {
            for input in inputs { input.send(batch) }
            batch = []
            batch.reserveCapacity(batchSize)
        }
        do {
            try read { input in
                batch.append(input)
                if batch.count == batchSize { send() }
            }
        } catch {
            if !batch.isEmpty { send() }
            for input in inputs { input.finish(throwing: error) }
            return
        }
        if !batch.isEmpty { send() }
        for input in inputs { input.finish() }
    }

    /// One rule set's stage: the batches evaluated in order, in a fresh state.
    private static func evaluate(
        _ input: Handover<[EventInput]>, with evaluator: Evaluator, into output: Handover<Evaluated>
    ) {
        let state = InMemoryState(recordingSpend: evaluator.rules.readsSpendHistory)
        do {
            while let batch = try input.receive() {
                var decided: [[Decision]] = []
                decided.reserveCapacity(batch.count)
                for event in batch { decided.append(try evaluator.decisions(for: event, state: state)) }
                guard output.send(.decisions(decided)) else {
                    input.cancel()
                    return
                }
            }
            output.send(.end(unresolvedOrphans: state.unresolvedOrphans))
            output.finish()
        } catch {
            input.cancel()
            output.finish(throwing: error)
        }
    }

    /// Starts a thread, named for `top` and profilers.
    private static func startThread(named name: String, _ work: @escaping @Sendable () -> Void) {
        let thread = Thread {
            Thread.current.name = name
            work()
        }
        thread.start()
    }
}
