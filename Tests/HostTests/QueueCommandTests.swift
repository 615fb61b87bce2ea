import Engine
import Foundation
import Testing

/// `enqueue`, `process` and `decisions` through the binary: the durable queue must give exactly
/// what `dry-run` gives, for any number of evaluators and batch size, and refuse bad input whole.
@Suite struct QueueCommandTests {
    /// A generated workload (rules and events) in a fresh directory.
    static func workload(events: Int, rejects: Bool = false) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        var arguments = ["generate", "--out", directory.url.path, "--events", "\(events)", "--seed", "7"]
        if rejects { arguments.append("--rejects") }
        let result = try CashbackBinary.run(arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return directory
    }

    /// One run of the equivalence test: the backend, the evaluators, the batch size, the state
    /// cache (nil for the default) and the number of events.
    struct EquivalenceCase: CustomTestStringConvertible, Sendable {
        let backend: StoreBackend
        let workers: Int
        let batchSize: Int
        var stateCache: Int? = nil
        var events = 20_000

        var testDescription: String {
            "\(backend) \(workers) workers, batches of \(batchSize), \(events) events"
                + (stateCache.map { ", state cache \($0)" } ?? "")
        }

        /// A state cache of 1 keeps almost nothing across batches: each batch reads its state
        /// again, and the cache lets histories go while the batch still uses them. PostgreSQL
        /// runs fewer events: each batch is a dozen round trips to the server.
        static var all: [EquivalenceCase] {
            var cases: [EquivalenceCase] = [
                .init(backend: .sqlite, workers: 1, batchSize: 512), .init(backend: .sqlite, workers: 4, batchSize: 512),
                .init(backend: .sqlite, workers: 2, batchSize: 7),
                .init(backend: .sqlite, workers: 2, batchSize: 512, stateCache: 1),
            ]
            if StoreBackend.available.contains(.postgres) {
                cases += [
                    .init(backend: .postgres, workers: 1, batchSize: 512, events: 4_000),
                    .init(backend: .postgres, workers: 4, batchSize: 512, events: 4_000),
                    .init(backend: .postgres, workers: 2, batchSize: 7, events: 4_000),
                    .init(backend: .postgres, workers: 2, batchSize: 512, stateCache: 1, events: 4_000),
                    .init(backend: .postgres, workers: 2, batchSize: 1, events: 600),
                ]
            }
            return cases
        }
    }

    @Test(arguments: EquivalenceCase.all) func processedDecisionsEqualDryRun(_ run: EquivalenceCase) throws {
        let directory = try QueueCommandTests.workload(events: run.events)
        defer { directory.remove() }
        let database = try CommandDatabase(run.backend, in: directory)
        defer { database.drop() }
        let db = database.argument
        let enqueue = try CashbackBinary.run(["enqueue", "--db", db, "events.jsonl"], in: directory.url)
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let cache = run.stateCache.map { ["--state-cache", "\($0)"] } ?? []
        let process = try CashbackBinary.run(
            ["process", "--db", db, "--rules", "rules", "--workers", "\(run.workers)", "--batch-size", "\(run.batchSize)"]
                + cache, in: directory.url)
        #expect(process.status == 0, "\(process.stderr)")
        let decisions = try CashbackBinary.run(["decisions", "--db", db, "--explain"], in: directory.url)
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--explain", "--format", "json", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(decisions.lines.count == dryRun.lines.count)
        #expect(decisions.stdout == dryRun.stdout, "decisions must be byte for byte what dry-run prints, traces included")
        let queueDryRun = try CashbackBinary.run(
            ["dry-run", "--explain", "--format", "json", "--rules", "rules", "--db", db], in: directory.url)
        #expect(queueDryRun.stdout == dryRun.stdout, "the queue holds the events as they were given")
        // Processing again finds nothing to do and changes nothing.
        #expect(try CashbackBinary.run(["process", "--db", db, "--rules", "rules"], in: directory.url).status == 0)
        #expect(try CashbackBinary.run(["decisions", "--db", db, "--explain"], in: directory.url).stdout == dryRun.stdout)
    }

    @Test(arguments: StoreBackend.available) func everyLineDueIsConfirmedAtTheEndEvenThousandsOfThem(backend: StoreBackend)
        throws
    {
        let directory = try QueueCommandTests.workload(events: 5_000)
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        _ = try CashbackBinary.run(["enqueue", "--db", database.argument, "events.jsonl"], in: directory.url)
        // Years later: every line is due, more than one sweep's thousand.
        let process = try CashbackBinary.run(
            ["process", "--db", database.argument, "--rules", "rules", "--now", "2036-01-01T00:00:00Z"], in: directory.url)
        #expect(process.status == 0, "\(process.stderr)")
        #expect(try database.texts("SELECT COUNT(*) FROM ledger WHERE status = 'pending'") == ["0"])
        let confirmed = process.stderr.split(separator: " ").first { $0.hasPrefix("ledger.confirmed=") }
            .flatMap { Int($0.dropFirst("ledger.confirmed=".count)) }
        #expect((confirmed ?? 0) > 1_000, "more than one sweep's thousand: \(process.stderr)")
        // The feed has no gap and no repeat: cursors 1…n, each line once.
        let feed = try database.texts(
            "SELECT COUNT(*) || '|' || MIN(cursor) || '|' || MAX(cursor) || '|' || COUNT(DISTINCT ledger_id) FROM credits")
        let figures = try #require(feed.first).split(separator: "|").map { Int($0) ?? -1 }
        #expect(figures[0] > 1_000 && figures[1] == 1 && figures[2] == figures[0] && figures[3] == figures[0], "\(feed)")
    }

    @Test(arguments: StoreBackend.available) func explainedDecisionsCarryTheDryRunTrace(backend: StoreBackend) throws {
        let directory = try QueueCommandTests.workload(events: 500)
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        let db = database.argument
        _ = try CashbackBinary.run(["enqueue", "--db", db, "events.jsonl"], in: directory.url)
        _ = try CashbackBinary.run(["process", "--db", db, "--rules", "rules", "--workers", "2"], in: directory.url)
        let decisions = try CashbackBinary.run(["decisions", "--db", db, "--explain"], in: directory.url)
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--explain", "--format", "json", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(decisions.stdout == dryRun.stdout)
        let table = try CashbackBinary.run(["decisions", "--db", db, "--format", "table"], in: directory.url)
        #expect(table.stdout.contains("Summary by partner and currency"))
        let rewarded = try #require(decisions.lines.first { $0.contains(#""status":"rewarded""#) })
        let id = try #require(rewarded.split(separator: "\"").dropFirst(3).first.map(String.init))
        #expect(try CashbackBinary.run(["explain", id, "--db", db], in: directory.url).stdout == rewarded + "\n")
        let replay = try CashbackBinary.run(["explain", id, "--db", db, "--replay"], in: directory.url)
        #expect(replay.status == 0, "\(replay.stderr)")
    }

    @Test(arguments: StoreBackend.available) func aBadEventFileChangesNothing(backend: StoreBackend) throws {
        let directory = try QueueCommandTests.workload(events: 2_000, rejects: true)
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        let db = database.argument
        let rejected = try CashbackBinary.run(["enqueue", "--db", db, "events.jsonl"], in: directory.url)
        #expect(rejected.status != 0)
        #expect(rejected.stderr.contains("events.jsonl:"), "names the file and line")
        #expect(rejected.stderr.contains("amount: 1.001 has more fraction digits"), "names the field")
        #expect(rejected.stderr.contains("nothing enqueued"))
        #expect(try CashbackBinary.run(["decisions", "--db", db], in: directory.url).stdout.isEmpty)

        // A conflict with an already accepted event also stores nothing of its file.
        try directory.write(
            "first.jsonl",
            #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"B1"}}"#
                + "\n")
        try directory.write(
            "second.jsonl",
            #"{"id":"p2","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"B1"}}"#
                + "\n"
                + #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"11.00","currency":"EUR","merchant":{"mid":"B1"}}"#
                + "\n")
        #expect(try CashbackBinary.run(["enqueue", "--db", db, "first.jsonl"], in: directory.url).status == 0)
        let conflict = try CashbackBinary.run(["enqueue", "--db", db, "second.jsonl"], in: directory.url)
        #expect(conflict.status != 0)
        #expect(conflict.stderr.contains("second.jsonl:2") || conflict.stderr.contains(":2: id: p1"), "\(conflict.stderr)")
        _ = try CashbackBinary.run(["process", "--db", db, "--rules", "rules"], in: directory.url)
        let decisions = try CashbackBinary.run(["decisions", "--db", db], in: directory.url)
        #expect(decisions.lines.count == 1, "only first.jsonl was enqueued: \(decisions.stdout)")
    }
}

/// `cashback explain` prints stored events' traces; `--replay` re-evaluates them with the rules
/// of their time and gets the same.
@Suite struct ExplainCommandTests {
    @Test(arguments: StoreBackend.available) func explainAgreesWithStoredDecisionsAfterARulesChange(backend: StoreBackend)
        throws
    {
        let directory = try QueueCommandTests.workload(events: 600)
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        let db = database.argument
        let events = try String(contentsOf: directory.url.appendingPathComponent("events.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        try directory.write("first.jsonl", events[..<300].joined(separator: "\n") + "\n")
        try directory.write("second.jsonl", events[300...].joined(separator: "\n") + "\n")
        _ = try CashbackBinary.run(["enqueue", "--db", db, "first.jsonl"], in: directory.url)
        _ = try CashbackBinary.run(["process", "--db", db, "--rules", "rules"], in: directory.url)
        // The budgeted partner's rate changes between the two halves.
        let path = directory.path("rules/partners/budgeted.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "percentage: 4%", with: "percentage: 7%")
        try directory.write("rules/partners/budgeted.yaml", text)
        _ = try CashbackBinary.run(["enqueue", "--db", db, "second.jsonl"], in: directory.url)
        _ = try CashbackBinary.run(["process", "--db", db, "--rules", "rules"], in: directory.url)

        let stored = try CashbackBinary.run(["decisions", "--db", db], in: directory.url).lines
        let early = try #require(stored.first { $0.contains(#""rule":"budgeted/base""#) })
        let late = try #require(stored.last { $0.contains(#""rule":"budgeted/base""#) })
        for decision in [early, late] {
            guard case .string(let id)? = try JSONParser.parse(decision)["event"] else {
                Issue.record("no event id in \(decision)")
                continue
            }
            let explained = try CashbackBinary.run(["explain", id, "--db", db, "--replay"], in: directory.url)
            #expect(explained.status == 0, "\(explained.stderr)")
            #expect(explained.stderr.contains("agrees with the stored decision"))
            #expect(explained.stdout.hasPrefix(String(decision.dropLast()) + #","trace":"#), "\(explained.stdout)")
            let stored = try CashbackBinary.run(["explain", id, "--db", db], in: directory.url)
            #expect(stored.stdout == explained.stdout, "the stored trace is the replayed one")
        }
        #expect(try CashbackBinary.run(["explain", "nope", "--db", db], in: directory.url).status != 0)
        #expect(try CashbackBinary.run(["explain", "nope", "--db", db, "--replay"], in: directory.url).status != 0)
    }
}
