import Engine
import Logging
import ServiceLifecycle
import Store

/// Confirms due ledger lines into the credits feed every `interval`. On a store several hosts
/// share, only the scheduler's leader sweeps (and its sweep is fenced like a batch).
struct ConfirmationService: Service {
    let store: any Storage
    let interval: Duration
    let metrics: ServiceMetrics
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if (store as? any SharedStore)?.isLeader ?? true { await sweep() }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutdown or cancellation
            }
        }
    }

    private func sweep() async {
        do {
            let now = WallClock.now
            let confirmed = try await store.confirmDue(now: now)
            metrics.confirmationSwept(at: now)
            if confirmed > 0 { logger.info("ledger lines confirmed", metadata: ["ledger.confirmed": "\(confirmed)"]) }
        } catch {
            logger.error("confirmation sweep failed", metadata: ["error.message": "\(error)"])
        }
    }
}
