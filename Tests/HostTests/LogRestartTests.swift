import BuiltinPlugins
import Engine
import Foundation
import Store
import Testing
import Workload

/// The scheduler restarts SQLite's write-ahead log between batches once it passed its bound:
/// with a batch evaluated while the one before is committed, a reader is nearly always open, and
/// the log would otherwise grow for as long as the service runs.
@Suite struct LogRestartTests {
    @Test func theWriteAheadLogStaysNearItsBoundWhileBatchesFlow() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bound = 64 << 10
        let path = directory.path("s.sqlite")
        let store = try SQLiteStore(path: path, logRestartBytes: bound)
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

        // The enqueue above wrote about a megabyte of log in one transaction: from the third batch
        // on, the restarts have cut it back.
        var logSizes: [Int] = []
        var claimed = 0
        while true {
            let summary = try await store.processBatch(
                limit: 64, evaluator: evaluator, rulesVersion: rules.version, confirmAfter: 0,
                now: Timestamp(epochSeconds: 0))
            guard summary.claimed > 0 else { break }
            claimed += summary.claimed
            logSizes.append(try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0)
        }
        #expect(claimed == events.count)
        // Restarted at every batch past the bound, the log holds about one batch (64 events, some
        // hundred kilobytes here); never restarted, it would hold them all (about 20 MB).
        let largest = logSizes.dropFirst(2).max() ?? 0
        #expect(largest < 1 << 20, "the log reached \(largest) bytes: \(logSizes)")
    }
}
