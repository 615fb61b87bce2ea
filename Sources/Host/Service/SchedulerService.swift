import Engine
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// The master scheduler running inside the service: drains the queue in batches with the
/// slave evaluators, waits for ingest when the queue is empty, and on shutdown finishes and
/// commits the batch in hand before returning.
final class SchedulerService: Service, Sendable {
    private let store: Store
    private let rules: RulesHolder
    private let workers: Int
    private let batchSize: Int
    private let logger: Logger
    private let metrics: ServiceMetrics
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(store: Store, rules: RulesHolder, workers: Int, batchSize: Int, metrics: ServiceMetrics, logger: Logger) {
        self.store = store
        self.rules = rules
        self.workers = workers
        self.batchSize = batchSize
        self.metrics = metrics
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Tells the scheduler that events were queued.
    func eventsArrived() { wake.yield() }

    func run() async throws {
        // A 24/7 service never gives up on the store: it backs off and retries until the
        // disk has room again (readiness says not ready meanwhile).
        var machine = SchedulerStateMachine(mode: .follow, batchLimit: batchSize, maximumFailures: nil)
        var iterator = wakeups.makeAsyncIterator()
        var action = machine.start()
        while true {
            switch action {
            case .processBatch(let limit):
                let ruleSet = rules.rules
                let evaluator = BatchEvaluator(evaluator: Evaluator(rules: ruleSet, explain: true), workers: workers)
                let started = ContinuousClock.now
                do {
                    let summary = try await store.processBatch(
                        limit: limit, evaluator: evaluator, rulesVersion: ruleSet.version,
                        confirmAfter: ruleSet.program.confirmAfterSeconds, now: Clock.now)
                    metrics.batchCommitted(summary, duration: ContinuousClock.now - started)
                    if Task.isShuttingDownGracefully { _ = machine.requestStop() }
                    action = machine.batchCommitted(count: summary.claimed)
                } catch {
                    logger.error("batch failed to commit; nothing of it was applied", metadata: ["error": "\(error)"])
                    metrics.batchFailed()
                    action = machine.batchFailed()
                }
            case .waitForEvents:
                let arrived = await withGracefulShutdownHandler {
                    await iterator.next() != nil
                } onGracefulShutdown: {
                    self.wake.finish()
                }
                if !arrived || Task.isShuttingDownGracefully {
                    action = machine.requestStop() ?? .stop
                } else {
                    action = machine.eventsArrived() ?? .stop
                }
            case .backOff(let attempt):
                do {
                    try await cancelWhenGracefulShutdown {
                        try await Task.sleep(for: .milliseconds(min(5_000, 100 << min(attempt, 6))))
                    }
                    action = machine.backOffElapsed()
                } catch {
                    // Shutdown or cancellation while waiting: nothing is in hand.
                    action = machine.requestStop() ?? .stop
                }
            case .stop:
                logger.notice("scheduler stopped; the batch in hand was committed")
                return
            case .fail:
                throw StoreError(description: "the store kept failing to commit; the scheduler stopped")
            }
        }
    }
}
