import Engine
import Foundation

/// `dry-run` and `diff` on both cores. The calling thread reads and parses the events and prints
/// the decisions; one thread per rule set evaluates them in a fresh in-memory state of its own.
/// Only the decisions need the sequential order of SPEC §4, and every stage keeps it: events go
/// from stage to stage in batches, first in, first out.
///
/// Reading and printing share one thread so that `dry-run` keeps two threads busy on two cores,
/// and the evaluation, the stage that cannot be split, has a core to itself.
struct EvaluationPipeline {
    /// Reads the events: calls `emit` with each input, in order.
    typealias Reader = (_ emit: (EventInput) -> Void) throws -> Void

    /// What one rule set's thread hands back.
    private enum Evaluated: Sendable {
        /// The decisions of a batch of events, one array per event.
        case decisions([SmallArray<Decision>])
        /// The end of the events, with the orphans still waiting for their payments.
        case end(unresolvedOrphans: [Orphan])
    }

    /// Events handed over at a time: enough that threads rarely wait on each other, few enough
    /// that the batches in flight hold little memory.
    static let batchSize = 256
    /// Batches waiting between two stages (at least 2: see `send`).
    static let depth = 16

    /// The rule sets, each evaluated in its own state.
    let evaluators: [Evaluator]

    /// Runs the pipeline. Calls `body` on this thread with each event's decisions under each
    /// rule set (in the order of `evaluators`), event after event, and returns each rule set's
    /// unresolved orphans. Throws the reader's error after the decisions of the events read
    /// before it, or a state's error (the in-memory state does not fail).
    /// `expectedCount`, about how many events `read` gives, sizes the states' tables.
    func run(read: Reader, expectedCount: Int?, body: (_ decisions: Row) -> Void) throws -> [[Orphan]] {
        try withoutActuallyEscaping(body) { body in try run(read: read, expectedCount: expectedCount, printing: body) }
    }

    private func run(read: Reader, expectedCount: Int?, printing body: @escaping (_ decisions: Row) -> Void)
        throws -> [[Orphan]]
    {
        let inputs = evaluators.map { _ in Handover<[EventInput]>(capacity: Self.depth) }
        let outputs = evaluators.map { _ in Handover<Evaluated>(capacity: Self.depth) }
        for (index, (evaluator, (input, output))) in zip(evaluators, zip(inputs, outputs)).enumerated() {
            Self.startThread(named: "evaluate \(index + 1)") {
                let state = InMemoryState(
                    keeping: evaluator.rules.historyRead, expectedEvents: expectedCount ?? 0)
                Self.evaluate(input, with: evaluator, in: state, into: output)
            }
        }
        var printing = Printing(outputs: outputs, body: body)
        var batch: [EventInput] = []
        var failure: (any Error)?
        /// Hands the batch to every rule set. When one has no room, it prints what comes back:
        /// a full input means its rule set has work, so a batch of decisions will come, and the
        /// others are at most one batch behind (`depth` ≥ 2), so they have it too.
        func send() throws {
            for input in inputs {
                while !input.trySend(batch) { guard try printing.next() else { return } }
            }
            batch = []
            batch.reserveCapacity(Self.batchSize)
            while printing.isReady { guard try printing.next() else { return } }
        }
        var readError: (any Error)?
        do {
            batch.reserveCapacity(Self.batchSize)
            try read { input in
                guard failure == nil else { return }
                batch.append(input)
                guard batch.count == Self.batchSize else { return }
                do { try send() } catch { failure = error }
            }
        } catch {
            readError = error
        }
        do {
            if let failure { throw failure }
            if !batch.isEmpty { try send() }
            for input in inputs { input.finish() }
            while try printing.next() {}
        } catch {
            for input in inputs { input.cancel() }
            for output in outputs { output.cancel() }
            throw error
        }
        if let readError { throw readError }
        return printing.unresolvedOrphans
    }

    /// One event's decisions under each rule set: `row[0]`, `row[1]`… in the order of
    /// `evaluators`.
    struct Row {
        fileprivate let batches: [[SmallArray<Decision>]]
        fileprivate let event: Int

        subscript(ruleSet: Int) -> SmallArray<Decision> { batches[ruleSet][event] }
    }

    /// The printing stage: each batch's decisions from every rule set, in lockstep.
    private struct Printing {
        let outputs: [Handover<Evaluated>]
        let body: (_ decisions: Row) -> Void
        /// Set at the end, one list per rule set.
        private(set) var unresolvedOrphans: [[Orphan]] = []

        init(outputs: [Handover<Evaluated>], body: @escaping (_ decisions: Row) -> Void) {
            self.outputs = outputs
            self.body = body
        }

        /// Whether every rule set has something to hand back now.
        var isReady: Bool { outputs.allSatisfy(\.hasWaiting) }

        /// Waits for the next batch from every rule set and hands its decisions to `body`;
        /// `false` at the end.
        mutating func next() throws -> Bool {
            let messages = try outputs.map { try $0.receive() }
            guard case .decisions(let first)? = messages.first else {
                unresolvedOrphans = messages.map { message in
                    guard case .end(let orphans)? = message else { return [] }
                    return orphans
                }
                return false
            }
            let batches = messages.map { message -> [SmallArray<Decision>] in
                guard case .decisions(let decisions)? = message else { return [] }
                return decisions
            }
            for event in first.indices { body(Row(batches: batches, event: event)) }
            return true
        }
    }

    /// One rule set's stage: the batches evaluated in order, in a fresh state.
    private static func evaluate(
        _ input: Handover<[EventInput]>, with evaluator: Evaluator, in state: InMemoryState,
        into output: Handover<Evaluated>
    ) {
        do {
            while let batch = try input.receive() {
                var decided: [SmallArray<Decision>] = []
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
