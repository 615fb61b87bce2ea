import Foundation
import Testing

/// Several `serve` hosts on one PostgreSQL database: every host takes events, one leads the
/// scheduler, and when it dies or freezes another takes over without losing or repeating
/// anything; a host cut off from the database answers 503 and recovers by itself.
@Suite(.enabled(if: PostgresTestDatabase.isEnabled, "needs scripts/test's PostgreSQL cluster"))
struct PostgresHostsTests {
    /// Posts `lines` (NDJSON) to `host`, which must acknowledge them.
    private static func post(_ lines: ArraySlice<String>, to host: RunningService) async throws {
        let reply = try await host.request(
            "POST", "/v1/events", body: lines.joined(separator: "\n") + "\n", contentType: "application/x-ndjson")
        #expect(reply.status == 202, "\(reply.body)")
    }

    /// The host among `hosts` whose `/readyz` says it leads, polling up to `seconds`.
    private static func leader(among hosts: [RunningService], seconds: Double = 20) async throws -> RunningService? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            for host in hosts where try await host.request("GET", "/readyz").body.contains(#""leading":true"#) {
                return host
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    /// Polls `condition` up to `seconds`; whether it held.
    private static func eventually(seconds: Double = 60, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return try condition()
    }

    @Test func threeHostsSurviveAKilledAndAFrozenLeader() async throws {
        let directory = try QueueCommandTests.workload(events: 2_000)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let lines = try String(contentsOfFile: directory.path("events.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let chunks = stride(from: 0, to: lines.count, by: 50).map { lines[$0..<min($0 + 50, lines.count)] }
        let hosts = try (0..<3).map { _ in
            try RunningService(in: directory, arguments: ["--rules", "rules", "--db", database.url])
        }
        var next = chunks.makeIterator()
        var turn = 0
        // Each chunk is acknowledged before the next is sent, round the live hosts.
        func postChunks(_ count: Int, to live: [RunningService]) async throws {
            for _ in 0..<count {
                guard let chunk = next.next() else { return }
                try await PostgresHostsTests.post(chunk, to: live[turn % live.count])
                turn += 1
            }
        }
        try await postChunks(12, to: hosts)

        let first = try #require(try await PostgresHostsTests.leader(among: hosts))
        #expect(try await first.request("GET", "/metrics").body.contains("cashback_scheduler_leading 1"))
        for host in hosts where host !== first {
            #expect(try await host.request("GET", "/metrics").body.contains("cashback_scheduler_leading 0"))
        }
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        let survivors = hosts.filter { $0 !== first }
        try await postChunks(12, to: survivors)

        let second = try #require(try await PostgresHostsTests.leader(among: survivors))
        kill(second.process.processIdentifier, SIGSTOP)
        let last = try #require(survivors.first { $0 !== second })
        try await postChunks(8, to: [last])
        #expect(try await PostgresHostsTests.leader(among: [last]) != nil, "the last host took over")
        kill(second.process.processIdentifier, SIGCONT)
        #expect(try await second.waitForLog("lost the scheduler's lease"), "the frozen leader stepped down")
        try await postChunks(chunks.count, to: survivors)

        let depth = "SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)"
        #expect(try await PostgresHostsTests.eventually { try database.rows(depth) == ["0"] })
        #expect(try database.rows("SELECT COUNT(*) FROM queue") == ["\(lines.count)"], "every acknowledged event is queued")

        let decisions = try CashbackBinary.run(["decisions", "--db", database.url, "--explain"], in: directory.url)
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--explain", "--format", "json", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(decisions.stdout == dryRun.stdout, "one decision per event, in the order they were acknowledged")
        let queueOrder = try CashbackBinary.run(
            ["dry-run", "--explain", "--format", "json", "--rules", "rules", "--db", database.url], in: directory.url)
        #expect(queueOrder.stdout == dryRun.stdout, "the queue's order is the acknowledgement order")
        let feed = try database.rows("SELECT COUNT(*), MIN(cursor), MAX(cursor), COUNT(DISTINCT ledger_id) FROM credits")
        let figures = try #require(feed.first).split(separator: "|").map { Int($0) ?? -1 }
        #expect(figures[0] == 0 || (figures[1] == 1 && figures[2] == figures[0] && figures[3] == figures[0]), "\(feed)")
        for host in survivors { #expect(host.terminate() == 0) }
    }

    @Test func aHostCutOffFromTheDatabaseAnswers503AndRecoversByItself() async throws {
        let directory = try QueueCommandTests.workload(events: 200)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let lines = try String(contentsOfFile: directory.path("events.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let host = try RunningService(in: directory, arguments: ["--rules", "rules", "--db", database.url])
        #expect(try await PostgresHostsTests.leader(among: [host]) != nil)
        try await PostgresHostsTests.post(lines[0..<100], to: host)

        try database.onServer("ALTER DATABASE \(database.name) ALLOW_CONNECTIONS false")
        try database.onServer("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(database.name)'")
        #expect(try await host.request("GET", "/healthz").status == 200, "alive while the database is away")
        var readiness = try await host.request("GET", "/readyz")
        let deadline = Date().addingTimeInterval(20)
        while readiness.status != 503, Date() < deadline { readiness = try await host.request("GET", "/readyz") }
        #expect(readiness.status == 503, "\(readiness.body)")
        let refused = try await host.request(
            "POST", "/v1/events", body: lines[100..<150].joined(separator: "\n"), contentType: "application/x-ndjson")
        #expect(refused.status == 503, "\(refused.body)")

        try database.onServer("ALTER DATABASE \(database.name) ALLOW_CONNECTIONS true")
        #expect(try await PostgresHostsTests.eventually { try database.rows("SELECT 1") == ["1"] })
        var ready = false
        for _ in 0..<200 where !ready {
            ready = try await host.request("GET", "/readyz").status == 200
            if !ready { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(ready, "ready again once the database is back")
        try await PostgresHostsTests.post(lines[100..<200], to: host)
        let depth = "SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)"
        #expect(try await PostgresHostsTests.eventually { try database.rows(depth) == ["0"] })
        #expect(try database.rows("SELECT COUNT(*) FROM queue") == ["200"])
        #expect(host.terminate() == 0)
    }

    @Test func theAPIAnswersAsItDoesOnSQLite() async throws {
        let directory = try QueueCommandTests.workload(events: 1_500)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let body = try String(contentsOfFile: directory.path("events.jsonl"), encoding: .utf8)
        // No sweep but the one at the start, on an empty ledger (and on PostgreSQL only the leader
        // sweeps): what is confirmed follows the batches alone, the same on both.
        let sqlite = try RunningService(
            in: directory, arguments: ["--rules", "rules", "--db", "api.sqlite", "--confirm-every", "3600"])
        let postgres = try RunningService(
            in: directory, arguments: ["--rules", "rules", "--db", database.url, "--confirm-every", "3600"])
        for host in [sqlite, postgres] {
            let reply = try await host.request("POST", "/v1/events", body: body, contentType: "application/x-ndjson")
            #expect(reply.status == 202, "\(reply.body)")
        }
        for host in [sqlite, postgres] {
            let deadline = Date().addingTimeInterval(60)
            while try await host.request("GET", "/readyz").body.contains(#""queue_depth":0"#) == false, Date() < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        let ids = body.split(separator: "\n").compactMap { line in
            line.split(separator: "\"").dropFirst(3).first.map(String.init)
        }
        var paths = ids.prefix(60).map { "/v1/events/\($0)" } + ["/v1/events/never-sent", "/v1/partners"]
        paths += (0..<20).map { "/v1/accounts/a\($0)" }
        paths += ["/v1/partners/budgeted/stats", "/v1/partners/p1/stats", "/v1/partners/nobody/stats"]
        for path in paths {
            let expected = try await sqlite.request("GET", path)
            let answered = try await postgres.request("GET", path)
            #expect(answered.status == expected.status, "\(path)")
            #expect(answered.body == expected.body, "\(path)")
        }
        // The feed: the same entries. Their cursors and due times follow each service's clock, and
        // its identity differs from one database to another.
        func entries(_ host: RunningService) async throws -> [String] {
            let reply = try await host.request("GET", "/v1/credits?after=0&limit=1000")
            let object = try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
            let credits = object?["credits"] as? [[String: Any]] ?? []
            return credits.map { credit in
                credit.filter { !["cursor", "due_at"].contains($0.key) }.map { "\($0.key)=\($0.value)" }.sorted()
                    .joined(separator: " ")
            }.sorted()
        }
        let expectedFeed = try await entries(sqlite)
        #expect(!expectedFeed.isEmpty)
        #expect(try await entries(postgres) == expectedFeed)
        #expect(sqlite.terminate() == 0)
        #expect(postgres.terminate() == 0)
    }
}
