import BuiltinPlugins
import Engine
import Logging
import Store
import Synchronization

/// The rules the service evaluates with, swapped atomically on reload: the scheduler takes the
/// current rules at the start of each batch, so a reload takes effect between batches.
final class RulesHolder: Sendable {
    private let current: Mutex<RuleSet>
    let directory: String
    private let registry: PluginRegistry
    private let store: any Storage
    private let metrics: ServiceMetrics

    init(rules: RuleSet, directory: String, registry: PluginRegistry, store: any Storage, metrics: ServiceMetrics) {
        self.metrics = metrics
        self.current = Mutex(rules)
        self.directory = directory
        self.registry = registry
        self.store = store
    }

    /// The rules in force.
    var rules: RuleSet { current.withLock { $0 } }

    /// Lints the directory again and, when it is valid, records and swaps in the new version;
    /// otherwise the old rules keep serving and the diagnostics are returned.
    func reload(now: Timestamp, logger: Logger) async throws -> Result<RuleSet, RuleLoadFailure> {
        let outcome = RuleLoader(registry: registry).load(directory: directory)
        guard let rules = outcome.rules else {
            metrics.reloadFailed()
            for diagnostic in outcome.diagnostics { logger.error("\(diagnostic)") }
            logger.error(
                "rules reload refused; the old rules keep serving", metadata: ["rules.errors": "\(outcome.diagnostics.count)"])
            return .failure(RuleLoadFailure(diagnostics: outcome.diagnostics))
        }
        try await store.recordRulesVersion(rules.version, files: outcome.sources, now: now)
        let previous = current.withLock { held in
            let previous = held.version
            held = rules
            return previous
        }
        logger.notice("rules reloaded", metadata: ["rules.version": "\(rules.version)", "rules.previous": "\(previous)"])
        return .success(rules)
    }
}

/// Why rules could not be loaded: every diagnostic.
struct RuleLoadFailure: Error {
    let diagnostics: [Diagnostic]
}
