import Foundation
import Testing

/// PostgreSQL's own failover, as `docs/operations.md` describes it: a primary with a synchronous
/// streaming standby, so that an acknowledged event is on two machines. The primary crashes,
/// the standby is promoted, and it holds every event a host acknowledged; a host pointed at it
/// carries on.
@Suite(.enabled(if: PostgresTestDatabase.isEnabled, "needs scripts/test's primary and standby"))
struct PostgresStandbyFailoverTests {
    /// The primary and its synchronous standby that `scripts/test` started
    /// (`scripts/postgres-throwaway --standby`), named in `CASHBACK_TEST_POSTGRES_STANDBY` as
    /// "PRIMARY_URL STANDBY_URL DIRECTORY". Used once: the test crashes the primary.
    struct Pair {
        let primary: String
        let standby: String
        let directory: String

        static let named = ProcessInfo.processInfo.environment["CASHBACK_TEST_POSTGRES_STANDBY"]

        init() throws {
            let parts = Pair.named?.split(separator: " ").map(String.init) ?? []
            guard parts.count == 3 else {
                throw PostgresTestDatabase.QueryFailed(description: "no standby pair: run the tests with scripts/test")
            }
            (primary, standby, directory) = (parts[0], parts[1], parts[2])
        }

        func crashPrimary() throws { try Pair.run(["--crash", directory]) }
        func promoteStandby() throws { try Pair.run(["--promote", directory]) }

        /// Runs `scripts/postgres-throwaway` with `arguments` (steps that leave no server behind).
        private static func run(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = CashbackBinary.repositoryRoot.appendingPathComponent("scripts/postgres-throwaway")
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw PostgresTestDatabase.QueryFailed(description: "postgres-throwaway \(arguments) failed")
            }
        }
    }

    @Test func thePromotedStandbyHoldsEveryAcknowledgedEvent() async throws {
        let directory = try QueueCommandTests.workload(events: 1_000)
        defer { directory.remove() }
        let pair = try Pair()
        let lines = try String(contentsOfFile: directory.path("events.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let host = try RunningService(in: directory, arguments: ["--rules", "rules", "--db", pair.primary])
        var acknowledged = 0
        for start in stride(from: 0, to: 600, by: 50) {
            let reply = try await host.request(
                "POST", "/v1/events", body: lines[start..<start + 50].joined(separator: "\n"),
                contentType: "application/x-ndjson")
            #expect(reply.status == 202, "\(reply.body)")
            acknowledged += 50
        }
        try pair.crashPrimary()
        try pair.promoteStandby()
        #expect(
            try PostgresStandbyFailoverTests.count("SELECT COUNT(*) FROM queue", on: pair.standby) == acknowledged,
            "every acknowledged event is on the standby")
        kill(host.process.processIdentifier, SIGKILL)

        // A host pointed at the promoted standby carries on where the primary stopped.
        let follower = try RunningService(in: directory, arguments: ["--rules", "rules", "--db", pair.standby])
        let rest = try await follower.request(
            "POST", "/v1/events", body: lines[600...].joined(separator: "\n"), contentType: "application/x-ndjson")
        #expect(rest.status == 202, "\(rest.body)")
        let depth = "SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)"
        let deadline = Date().addingTimeInterval(60)
        while try PostgresStandbyFailoverTests.count(depth, on: pair.standby) != 0, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let decisions = try CashbackBinary.run(["decisions", "--db", pair.standby], in: directory.url)
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--format", "json", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(decisions.stdout == dryRun.stdout, "nothing acknowledged was lost or applied twice")
        #expect(follower.terminate() == 0)
    }

    private static func count(_ sql: String, on url: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [url, "-X", "-At", "-c", sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
}
