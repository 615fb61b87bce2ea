import Engine
import Foundation
import Logging

/// Drains the durable queue with the master/slave scheduler: the state machine decides, this
/// does the I/O (one transaction per batch) and logs.
struct QueueProcessor {
    let store: Store
    let evaluator: BatchEvaluator
    let rules: RuleSet
    let logger: Logger

    /// Consecutive failed commits after which a batch run gives up.
    static let maximumFailures = 5

    /// Totals of a run.
    struct Totals: Equatable {
        var events = 0
        var decisions = 0
        var dead = 0
        var batches = 0
    }

    /// Processes everything queued, then returns. `onBatch` sees the running totals.
    func drain(batchSize: Int, now: () -> Timestamp, onBatch: (Totals) -> Void = { _ in }) async throws -> Totals {
        var machine = SchedulerStateMachine(mode: .drain, batchLimit: batchSize, maximumFailures: Self.maximumFailures)
        var totals = Totals()
        var action = machine.start()
        while true {
            switch action {
            case .processBatch(let limit):
                do {
                    let summary = try await store.processBatch(
                        limit: limit, evaluator: evaluator, rulesVersion: rules.version,
                        confirmAfter: rules.program.confirmAfterSeconds, now: now())
                    totals.events += summary.claimed
                    totals.decisions += summary.decisions
                    totals.dead += summary.dead
                    if summary.claimed > 0 { totals.batches += 1 }
                    if summary.dead > 0 {
                        logger.warning("events set aside as dead", metadata: ["batch.dead": "\(summary.dead)"])
                    }
                    onBatch(totals)
                    action = machine.batchCommitted(count: summary.claimed)
                } catch {
                    logger.error("batch failed to commit; nothing of it was applied", metadata: ["error": "\(error)"])
                    action = machine.batchFailed()
                }
            case .backOff(let attempt):
                try await Task.sleep(for: .milliseconds(min(5_000, 100 << attempt)))
                action = machine.backOffElapsed()
            case .waitForEvents, .stop:
                return totals
            case .fail:
                throw StoreError(description: "the store kept failing to commit; stopped after \(Self.maximumFailures) attempts")
            }
        }
    }
}
