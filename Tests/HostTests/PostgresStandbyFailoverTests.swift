import Foundation
import Testing

/// PostgreSQL's own failover, as `docs/operations.md` describes it: a primary with a synchronous
/// streaming standby, so that an acknowledged event is on two machines. The primary crashes,
/// the standby is promoted, and it holds every event a host acknowledged; a host pointed at it
/// carries on.
@Suite(.enabled(if: PostgresTestDatabase.isEnabled, "needs PostgreSQL (scripts/test)"))
struct PostgresStandbyFailoverTests {
    /// A primary and its synchronous standby (`scripts/postgres-throwaway --standby`).
    struct Pair {
        let primary: String
        let standby: String
        let pids: [String]
        let directory: String

        init() throws {
            let lines = try Pair.run(Pair.script, ["--standby"])
            guard lines.count == 5 else { throw PostgresTestDatabase.QueryFailed(description: "\(lines)") }
            (primary, standby, pids, directory) = (lines[0], lines[3], [lines[1], lines[4]], lines[2])
        }

        func crashPrimary() throws { _ = try Pair.run(Pair.script, ["--crash", directory]) }
        func promoteStandby() throws { _ = try Pair.run(Pair.script, ["--promote", directory]) }
        func stop() { _ = try? Pair.run(Pair.script, ["--stop"] + pids + [directory]) }

        static let script = CashbackBinary.repositoryRoot.appendingPathComponent("scripts/postgres-throwaway").path

        private static func run(_ path: String, _ arguments: [String]) throws -> [String] {
            // To a file, not a pipe: the servers the script starts inherit its descriptors, and a
            // pipe would never reach its end while they run.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("cashback-pair-\(UUID().uuidString)")
            _ = FileManager.default.createFile(atPath: file.path, contents: nil)
            defer { try? FileManager.default.removeItem(at: file) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            process.standardOutput = try FileHandle(forWritingTo: file)
            try process.run()
            process.waitUntilExit()
            let data = try Data(contentsOf: file)
            guard process.terminationStatus == 0 else {
                throw PostgresTestDatabase.QueryFailed(description: "\(path) \(arguments) failed")
            }
            return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }

    @Test func thePromotedStandbyHoldsEveryAcknowledgedEvent() async throws {
        let directory = try QueueCommandTests.workload(events: 1_000)
        defer { directory.remove() }
        let pair = try Pair()
        defer { pair.stop() }
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
