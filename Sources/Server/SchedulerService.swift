import Engine
import Logging
import ServiceLifecycle
import Store

/// The master scheduler running inside the service: drains the queue in batches with the
/// slave evaluators, waits for ingest when the queue is empty, and on shutdown finishes and
/// commits the batch in hand before returning. A failing store (a full disk) is retried with a
/// back-off for as long as it takes: the service recovers by itself.
///
/// On a store several hosts share, the host stands by until it takes the scheduler's lease,
/// renews it while it leads, and steps down to stand by again when it loses it (its batches
/// are fenced by the store: a lost lease commits nothing).
final class SchedulerService: Service, Sendable {
    private let store: any Storage
    private let driver: SchedulerDriver
    private let rules: RulesHolder
    private let batchSize: Int
    private let metrics: ServiceMetrics
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    /// How often a standby host tries to take the lease, and a leader looks for events other
    /// hosts queued.
    static let standbyPoll = Duration.milliseconds(250)

    init(store: any Storage, rules: RulesHolder, workers: Int, batchSize: Int, metrics: ServiceMetrics, logger: Logger) {
        self.store = store
        self.driver = SchedulerDriver(store: store, workers: workers, logger: logger)
        self.rules = rules
        self.batchSize = batchSize
        self.metrics = metrics
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Tells the scheduler that events were queued.
    func eventsArrived() { wake.yield() }

    func run() async throws {
        guard let shared = store as? any SharedStore else { return try await follow() }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if await leads(shared) {
                driver.logger.notice("leading the scheduler", metadata: ["host.name": "\(shared.hostName)"])
                try await followWhileLeading(shared)
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                driver.logger.warning("lost the scheduler's lease; standing by", metadata: ["host.name": "\(shared.hostName)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: SchedulerService.standbyPoll) }
            } catch {
                break
            }
        }
        await shared.releaseLeadership()
        metrics.leading(false)
    }

    /// Tries to take (or renew) the lease; refreshes the queue depth other hosts change.
    private func leads(_ shared: any SharedStore) async -> Bool {
        let leads = (try? await shared.claimLeadership(leaseSeconds: PostgresStore.leaseSeconds)) ?? false
        metrics.leading(leads)
        if let depth = try? await shared.queueDepth() { metrics.setQueueDepth(depth) }
        return leads
    }

    /// Runs the scheduler while this host keeps the lease: renews it every second, and wakes the
    /// scheduler for the events other hosts queue.
    private func followWhileLeading(_ shared: any SharedStore) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.follow() }
            group.addTask {
                var polls = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: SchedulerService.standbyPoll)
                    self.wake.yield()
                    polls += 1
                    if polls % 4 == 0, !(await self.leads(shared)) { return }
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    /// Drains the queue and follows it until shutdown (or cancellation).
    private func follow() async throws {
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
