import Foundation
import Testing

/// Read commands open the database without changing it, so they work on a copy on read-only
/// storage (a backup, a snapshot), where opening to migrate fails.
@Suite(.enabled(if: SmallFilesystem.canMount, "needs permission to mount a tmpfs"))
struct ReadOnlyDatabaseTests {
    @Test func readCommandsWorkOnAReadOnlyCopy() async throws {
        let directory = try QueueCommandTests.workload(events: 500)
        defer { directory.remove() }
        #expect(try CashbackBinary.run(["enqueue", "--db", "s.sqlite", "events.jsonl"], in: directory.url).status == 0)
        #expect(try CashbackBinary.run(["process", "--rules", "rules", "--db", "s.sqlite"], in: directory.url).status == 0)
        let original = try CashbackBinary.run(["decisions", "--db", "s.sqlite"], in: directory.url)
        let disk = try SmallFilesystem(at: directory.path("ro"), megabytes: 8)
        defer { disk.unmount() }
        try FileManager.default.copyItem(atPath: directory.path("s.sqlite"), toPath: directory.path("ro/s.sqlite"))
        try disk.remountReadOnly()

        let copy = try CashbackBinary.run(["decisions", "--db", "ro/s.sqlite"], in: directory.url)
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout == original.stdout)
        #expect(try CashbackBinary.run(["check", "--db", "ro/s.sqlite"], in: directory.url).status == 0)
        #expect(try CashbackBinary.run(["dead", "--db", "ro/s.sqlite"], in: directory.url).status == 0)
        let firstEvent = try #require(original.lines.first.flatMap { $0.split(separator: "\"")[3] })
        let explain = try CashbackBinary.run(["explain", String(firstEvent), "--db", "ro/s.sqlite"], in: directory.url)
        #expect(explain.status == 0, "\(explain.stderr)")
        let missing = try CashbackBinary.run(["decisions", "--db", "ro/none.sqlite"], in: directory.url)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no such database"), "\(missing.stderr)")
    }
}
