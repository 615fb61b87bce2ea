import BuiltinPlugins
import Engine
import Foundation
import GRDB
import Store
import Testing
import Workload

/// The scheduler restarts SQLite's write-ahead log between batches once it passed its bound:
/// with a batch evaluated while the one before is committed, a reader is nearly always open, and
/// the log would otherwise grow for as long as the service runs.
@Suite struct LogRestartTests {
    /// A store on `path` holding 4,000 generated events, and what processes them in batches of
    /// 64: `drain` runs every batch and returns the log's size after each.
    struct Queued {
        let store: SQLiteStore
        let events: Int
        let drain: () async throws -> (claimed: Int, logSizes: [Int])
    }

    static func queued(at path: String, logRestartBytes: Int) async throws -> Queued {
        let store = try SQLiteStore(path: path, logRestartBytes: logRestartBytes)
        let workload = Workload(partners: 20, accounts: 400)
        let outcome = RuleLoader(registry: .builtin).load(
            sources: workload.ruleFiles.map { RuleSource(relativePath: $0.path, displayPath: $0.path, text: $0.text) })
        let rules = try #require(outcome.rules, "\(outcome.diagnostics)")
        let events = try workload.events(count: 4_000, seed: 7).map { line in
            IncomingEvent(event: try EventParser.parse(line: Array(line.utf8)).get(), origin: EventOrigin())
        }
        _ = try await store.enqueue(events, now: Timestamp(epochSeconds: 0))
        try await store.recordRulesVersion(rules.version, files: [], now: Timestamp(epochSeconds: 0))
        let evaluator = BatchEvaluator(evaluator: Evaluator(rules: rules, explain: true), workers: 2)
        return Queued(store: store, events: events.count) {
            var logSizes: [Int] = []
            var claimed = 0
            while true {
                let summary = try await store.processBatch(
                    limit: 64, evaluator: evaluator, rulesVersion: rules.version, confirmAfter: 0,
                    now: Timestamp(epochSeconds: 0))
                guard summary.claimed > 0 else { return (claimed, logSizes) }
                claimed += summary.claimed
                logSizes.append(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0)
            }
        }
    }

    @Test func theWriteAheadLogStaysNearItsBoundWhileBatchesFlow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let queued = try await LogRestartTests.queued(at: directory.path("s.sqlite"), logRestartBytes: 64 << 10)

        // The enqueue wrote about a megabyte of log in one transaction: from the third batch on,
        // the restarts have cut it back.
        let (claimed, logSizes) = try await queued.drain()
        #expect(claimed == queued.events)
        // Restarted at every batch past the bound, the log holds about one batch (64 events, some
        // hundred kilobytes here); never restarted, it would hold them all (about 20 MB).
        let largest = logSizes.dropFirst(2).max() ?? 0
        #expect(largest < 1 << 20, "the log reached \(largest) bytes: \(logSizes)")
    }

    /// A reader that stays open elsewhere (a backup, a long export) keeps the log from restarting;
    /// the batches neither fail nor wait for it, and every decision is stored.
    @Test func aReaderThatStaysOpenFailsNoBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("s.sqlite")
        let queued = try await LogRestartTests.queued(at: path, logRestartBytes: 64 << 10)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // a read transaction left open on purpose
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        try reader.inDatabase { db in
            try db.beginTransaction(.deferred)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM queue") == queued.events)
        }

        let (claimed, _) = try await queued.drain()
        try reader.inDatabase { db in try db.commit() }
        #expect(claimed == queued.events)
        var decisions = 0
        try queued.store.forEachDecision { _ in decisions += 1 }
        #expect(decisions >= queued.events, "every event decided: \(decisions) decisions")
    }
}
