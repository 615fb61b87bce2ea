import Engine
import Logging
import ServiceLifecycle
import Store

/// Confirms due ledger lines into the credits feed every `interval`.
struct ConfirmationService: Service {
    let store: any Storage
    let interval: Duration
    let metrics: ServiceMetrics
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let now = WallClock.now
                let confirmed = try await store.confirmDue(now: now)
                metrics.confirmationSwept(at: now)
                if confirmed > 0 { logger.info("ledger lines confirmed", metadata: ["ledger.confirmed": "\(confirmed)"]) }
            } catch {
                logger.error("confirmation sweep failed", metadata: ["error.message": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutdown or cancellation
            }
        }
    }
}
