import Foundation
import Testing

/// The commands on the PostgreSQL store give what they give on SQLite: the stored decisions are
/// byte for byte what `dry-run` prints, for any number of evaluators and batch size, and
/// `kill -9` in the middle of `process` loses nothing and applies nothing twice.
@Suite(.enabled(if: PostgresTestDatabase.isEnabled, "needs scripts/test's PostgreSQL cluster"))
struct PostgresStoreTests {
    @Test(arguments: [(1, 512, 4_000), (2, 7, 4_000), (4, 512, 4_000), (2, 1, 600)])
    func processedDecisionsEqualDryRun(workers: Int, batchSize: Int, events: Int) throws {
        let directory = try QueueCommandTests.workload(events: events)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let db = database.url
        let enqueue = try CashbackBinary.run(["enqueue", "--db", db, "events.jsonl"], in: directory.url)
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        let process = try CashbackBinary.run(
            ["process", "--db", db, "--rules", "rules", "--workers", "\(workers)", "--batch-size", "\(batchSize)"],
            in: directory.url)
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

    @Test func explainAndCreditsMatchTheStoredDecisions() throws {
        let directory = try QueueCommandTests.workload(events: 1_500)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let db = database.url
        #expect(try CashbackBinary.run(["enqueue", "--db", db, "events.jsonl"], in: directory.url).status == 0)
        // Years later: every line is due and confirmed into the credits feed.
        let process = try CashbackBinary.run(
            ["process", "--db", db, "--rules", "rules", "--now", "2036-01-01T00:00:00Z"], in: directory.url)
        #expect(process.status == 0, "\(process.stderr)")
        let explained = try CashbackBinary.run(["decisions", "--db", db, "--explain"], in: directory.url).lines
        let rewarded = try #require(explained.first { $0.contains(#""status":"rewarded""#) })
        let id = try #require(rewarded.split(separator: "\"").dropFirst(3).first.map(String.init))
        let explain = try CashbackBinary.run(["explain", id, "--db", db], in: directory.url)
        #expect(explain.stdout == rewarded + "\n", "\(explain.stderr)")
        let replay = try CashbackBinary.run(["explain", id, "--db", db, "--replay"], in: directory.url)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try database.rows("SELECT COUNT(*) FROM ledger WHERE status = 'pending'") == ["0"])
        // The feed has no gap and no repeat: cursors 1…n, each line once.
        let feed = try database.rows("SELECT COUNT(*), MIN(cursor), MAX(cursor), COUNT(DISTINCT ledger_id) FROM credits")
        let figures = try #require(feed.first).split(separator: "|").map { Int($0) ?? -1 }
        #expect(figures[0] > 0 && figures[1] == 1 && figures[2] == figures[0] && figures[3] == figures[0], "\(feed)")
    }

    @Test func killedRepeatedlyMidRunThenFinishedEqualsDryRun() throws {
        let directory = try QueueCommandTests.workload(events: 6_000)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let db = database.url
        #expect(try CashbackBinary.run(["enqueue", "--db", db, "events.jsonl"], in: directory.url).status == 0)
        let depthQuery = "SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)"
        var kills = 0
        var depth = try database.rows(depthQuery)
        while kills < 5 && depth != ["0"] {
            let process = Process()
            process.executableURL = CashbackBinary.executable
            process.arguments = ["process", "--db", db, "--rules", "rules", "--workers", "2", "--batch-size", "32"]
            process.currentDirectoryURL = directory.url
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill it once it has committed something, wherever it is then.
            while process.isRunning, try database.rows(depthQuery) == depth { usleep(5_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            depth = try database.rows(depthQuery)
        }
        #expect(kills >= 3, "the run was killed mid-way several times")
        // The next run waits for the killed one's lease to run out, then finishes the queue.
        let finish = try CashbackBinary.run(["process", "--db", db, "--rules", "rules"], in: directory.url)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try database.rows(depthQuery) == ["0"])
        let decisions = try CashbackBinary.run(["decisions", "--db", db], in: directory.url)
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--format", "json", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(decisions.stdout == dryRun.stdout, "nothing lost, nothing applied twice")
    }

    @Test func aSecondProcessIsRefusedWhileAnotherLeads() throws {
        let directory = try QueueCommandTests.workload(events: 200)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        #expect(try CashbackBinary.run(["enqueue", "--db", database.url, "events.jsonl"], in: directory.url).status == 0)
        // A lease far from running out, held by another host.
        _ = try database.rows(
            "UPDATE leadership SET token = token + 1, holder = 'elsewhere:1', expires_at = now() + interval '1 hour'")
        let process = try CashbackBinary.run(["process", "--db", database.url, "--rules", "rules"], in: directory.url)
        #expect(process.status != 0)
        #expect(process.stderr.contains("another host leads its scheduler (elsewhere:1)"), "\(process.stderr)")
        #expect(try database.rows("SELECT COUNT(*) FROM decisions") == ["0"], "it changed nothing")
    }

    @Test func aBadURLOrAnUnreachableServerIsAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let malformed = try CashbackBinary.run(["decisions", "--db", "postgres://"], in: directory.url)
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("not a PostgreSQL URL"), "\(malformed.stderr)")
        // Port 1 on loopback: nothing listens there.
        let unreachable = try CashbackBinary.run(
            ["decisions", "--db", "postgres://cashback:secret@127.0.0.1:1/cashback"], in: directory.url)
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("postgres://cashback@127.0.0.1:1/cashback: cannot open the database"))
        #expect(!unreachable.stderr.contains("secret"), "the password is never printed")
        guard let server = PostgresTestDatabase.server else { return }
        let password = try #require(server.split(separator: ":").dropFirst(2).first?.split(separator: "@").first)
        let missing = try CashbackBinary.run(["explain", "nope", "--db", server], in: directory.url)
        #expect(missing.status != 0)
        #expect(!missing.stderr.isEmpty && !missing.stderr.contains(password), "\(missing.stderr)")
    }
}
