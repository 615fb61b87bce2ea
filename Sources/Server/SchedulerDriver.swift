import Engine
import Logging
import Store

/// The one driver of the master scheduler, for `cashback process` (drain the queue, then
/// return) and `cashback serve` (follow the queue for ever). `SchedulerStateMachine` decides;
/// this claims, evaluates and commits batches, logs, and retries a failed commit after a
/// back-off. What differs between the two callers is injected: the rules of the next batch,
/// the clock, how to wait for events and to sleep, and whether a stop was requested.
package struct SchedulerDriver: Sendable {
    /// Totals of a run.
    package struct Totals: Equatable, Sendable {
        package var events = 0
        package var decisions = 0
        package var dead = 0
        package var batches = 0
    }

    /// What the caller provides.
    package struct Environment {
        /// The rules for the next batch; read before each one, so a reload applies between batches.
        package var rules: () -> RuleSet
        /// The time recorded on what a batch commits.
        package var now: () -> Timestamp
        /// Waits until events are queued; `false` when the caller is stopping instead.
        package var waitForEvents: () async -> Bool = { false }
        /// Sleeps before a retry; throws when the caller is stopping.
        package var sleep: (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
        /// Whether a stop was requested (SIGTERM): the batch in hand is still committed.
        package var stopRequested: () -> Bool = { false }
        /// Told after each committed batch: its summary, how long it took, the running totals.
        package var batchCommitted: (BatchSummary, Duration, Totals) -> Void = { _, _, _ in }
        /// Told after each failed commit.
        package var batchFailed: (any Error) -> Void = { _ in }

        package init(rules: @escaping () -> RuleSet, now: @escaping () -> Timestamp) {
            self.rules = rules
            self.now = now
        }
    }

    package let store: any Storage
    package let workers: Int
    package let logger: Logger

    package init(store: any Storage, workers: Int, logger: Logger) {
        self.store = store
        self.workers = workers
        self.logger = logger
    }

    /// Runs `machine` until it stops; throws when it gives up on the store.
    package func run(_ machine: SchedulerStateMachine, environment: Environment) async throws -> Totals {
        var machine = machine
        var totals = Totals()
        var evaluation: (version: String, evaluator: BatchEvaluator)?
        var action = machine.start()
        while true {
            switch action {
            case .processBatch(let limit):
                let rules = environment.rules()
                let evaluator: BatchEvaluator
                if let cached = evaluation, cached.version == rules.version {
                    evaluator = cached.evaluator
                } else {
                    evaluator = BatchEvaluator(evaluator: Evaluator(rules: rules, explain: true), workers: workers)
                    evaluation = (rules.version, evaluator)
                }
                let started = ContinuousClock.now
                do {
                    let summary = try await store.processBatch(
                        limit: limit, evaluator: evaluator, rulesVersion: rules.version,
                        confirmAfter: rules.program.confirmAfterSeconds, now: environment.now())
                    totals.add(summary)
                    if summary.dead > 0 {
                        logger.warning("events set aside as dead", metadata: ["batch.dead": "\(summary.dead)"])
                    }
                    environment.batchCommitted(summary, ContinuousClock.now - started, totals)
                    if environment.stopRequested() { _ = machine.requestStop() }
                    action = machine.batchCommitted(count: summary.claimed)
                } catch {
                    logger.error("batch failed to commit; nothing of it was applied", metadata: ["error.message": "\(error)"])
                    environment.batchFailed(error)
                    action = machine.batchFailed()
                }
            case .waitForEvents:
                let arrived = await environment.waitForEvents()
                action =
                    arrived && !environment.stopRequested()
                    ? (machine.eventsArrived() ?? .stop) : (machine.requestStop() ?? .stop)
            case .backOff(let attempt):
                do {
                    try await environment.sleep(.milliseconds(min(5_000, 100 << min(attempt, 6))))
                    action = machine.backOffElapsed()
                } catch {
                    action = machine.requestStop() ?? .stop  // stopping while waiting: nothing is in hand
                }
            case .stop:
                return totals
            case .fail:
                throw StoreError(.gaveUp, path: store.name, "the store kept failing to commit; the scheduler stopped")
            }
        }
    }
}

extension SchedulerDriver.Totals {
    mutating func add(_ summary: BatchSummary) {
        events += summary.claimed
        decisions += summary.decisions
        dead += summary.dead
        if summary.claimed > 0 { batches += 1 }
    }
}
