import ArgumentParser
import BuiltinPlugins
import Engine
import Foundation
import Logging
import Server
import Store

/// `cashback process --db FILE [--rules DIR] [--workers N]`: drains the queue with the
/// master/slave scheduler, confirms what is due, then exits.
struct ProcessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "process",
        abstract: "Process everything queued with the master/slave scheduler, then exit.")

    @Option(help: ArgumentHelp(DatabaseArgument.help))
    var db = DatabaseArgument.defaultValue

    @Option(help: "The rules directory.")
    var rules = "rules"

    @Option(help: "Slave evaluators (default: the number of cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Events per batch (one transaction each).")
    var batchSize = 2048

    @Option(
        help: """
            Evaluation state kept in memory across batches: about this many ids, payments and limit usages each, \
            and 16 times as many rows of accounts' history.
            """)
    var stateCache = 20_000

    @Option(help: "Confirm ledger lines due at this RFC 3339 time instead of now (for tests and replays).")
    var now: String?

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard stateCache >= 1 else { throw ValidationError("--state-cache must be at least 1") }
        if let now, case .failure = Timestamp.parse(now) { throw ValidationError("--now must be RFC 3339 with an offset") }
    }

    func run() async throws {
        let logger = Logger(label: "cashback.process")
        let outcome = try RulesDirectory.loadOutcome(rules)
        let lock = try DatabaseArgument.lockIfFile(db)
        let store = try DatabaseArgument.open(db, access: .readWrite, stateCache: stateCache)
        let hold = try await SchedulerHold.take(store, lock: lock)
        do {
            try await drain(store, rules: outcome, logger: logger)
        } catch {
            await hold.release()
            throw error
        }
        await hold.release()
    }

    /// Processes everything queued, then confirms what is due.
    private func drain(_ store: any Storage, rules outcome: (rules: RuleSet, sources: [RuleSource]), logger: Logger) async throws
    {
        let ruleSet = outcome.rules
        try store.check()
        let clock = { now.flatMap { try? Timestamp.parse($0).get() } ?? WallClock.now }
        try await store.recordRulesVersion(ruleSet.version, files: outcome.sources, now: clock())
        var progress = Progress()
        var environment = SchedulerDriver.Environment(rules: { ruleSet }, now: clock)
        environment.batchCommitted = { _, _, totals in progress.show("process", count: totals.events) }
        let totals = try await SchedulerDriver(store: store, workers: workers, logger: logger).run(
            SchedulerStateMachine(mode: .drain, batchLimit: batchSize, maximumFailures: 5), environment: environment)
        progress.finish()
        let confirmed = try await store.confirmDue(now: clock())
        logger.notice(
            "queue drained",
            metadata: [
                "queue.events": "\(totals.events)", "queue.decisions": "\(totals.decisions)", "queue.dead": "\(totals.dead)",
                "queue.batches": "\(totals.batches)", "ledger.confirmed": "\(confirmed)", "rules.version": "\(ruleSet.version)",
            ])
    }
}
