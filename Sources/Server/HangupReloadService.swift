import Engine
import Logging
import ServiceLifecycle
import Store
import UnixSignals

/// Reloads the rules on SIGHUP, like `POST /v1/rules/reload`.
struct HangupReloadService: Service {
    let rules: RulesHolder
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            logger.notice("SIGHUP: reloading the rules", metadata: ["rules.directory": "\(rules.directory)"])
            do {
                _ = try await rules.reload(now: WallClock.now, logger: logger)
            } catch {
                logger.error("rules reload failed; the old rules keep serving", metadata: ["error.message": "\(error)"])
            }
        }
    }
}
