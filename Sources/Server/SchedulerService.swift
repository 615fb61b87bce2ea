import Engine
import Logging
import ServiceLifecycle
import Store

/// The master scheduler running inside the service: drains the queue in batches with the
/// slave evaluators, waits for ingest when the queue is empty, and on shutdown finishes and
/// commits the batch in hand before returning. A failing store (a full disk) is retried with a
/// back-off for as long as it takes: the service recovers by itself.
final class SchedulerService: Service, Sendable {
    private let driver: SchedulerDriver
    private let rules: RulesHolder
    private let batchSize: Int
    private let metrics: ServiceMetrics
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(store: any Storage, rules: RulesHolder, workers: Int, batchSize: Int, metrics: ServiceMetrics, logger: Logger) {
        self.driver = SchedulerDriver(store: store, workers: workers, logger: logger)
        self.rules = rules
        self.batchSize = batchSize
        self.metrics = metrics
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Tells the scheduler that events were queued.
    func eventsArrived() { wake.yield() }

    func run() async throws {
        var iterator = wakeups.makeAsyncIterator()
        var environment = SchedulerDriver.Environment(rules: { self.rules.rules }, now: { WallClock.now })
        environment.waitForEvents = {
            await withGracefulShutdownHandler {
                await iterator.next() != nil
            } onGracefulShutdown: {
                self.wake.finish()
            }
        }
        environment.sleep = { delay in try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) } }
        environment.stopRequested = { Task.isShuttingDownGracefully || Task.isCancelled }
        environment.batchCommitted = { summary, duration, _ in self.metrics.batchCommitted(summary, duration: duration) }
        environment.batchFailed = { _ in self.metrics.batchFailed() }
        _ = try await driver.run(
            SchedulerStateMachine(mode: .follow, batchLimit: batchSize, maximumFailures: nil), environment: environment)
        driver.logger.notice("scheduler stopped; the batch in hand was committed")
    }
}
