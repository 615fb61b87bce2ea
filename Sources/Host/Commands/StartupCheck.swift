import Logging
import Store

/// The database check a service runs as it starts (`PRAGMA quick_check`, which reads every
/// page): before serving when it finishes within a budget, so that a damaged file is refused
/// before anything is acknowledged into it; for a larger database, in the background, so that a
/// restart is ready in seconds whatever the size. Damage found in the background takes the
/// service out of readiness and makes every write answer 503, with a critical log line.
enum StartupCheck {
    /// Starts the check and waits up to `budget` for it; throws the damage it found in time.
    static func run(_ store: SQLiteStore, budget: Duration, logger: Logger) async throws {
        store.startBackgroundCheck { outcome in
            switch outcome {
            case .passed:
                logger.info("database check passed")
            case .damaged(let damage):
                logger.critical(
                    "the database is damaged: it takes no more events; restore it from a backup",
                    metadata: ["error": "\(damage)"])
            }
        }
        // A budget of zero never waits: the check's outcome, however fast, is the background's.
        if budget > .zero {
            let deadline = ContinuousClock.now + budget
            while store.checkOutcome == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            switch store.checkOutcome {
            case .damaged(let damage): throw damage
            case .passed: return
            case nil: break
            }
        }
        logger.notice(
            "checking the database in the background: it takes longer than the start-up budget",
            metadata: ["check.budget": "\(budget)"])
    }
}
