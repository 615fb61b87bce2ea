import Foundation
import Store
import Testing

/// `kill -9` at any moment of `process` loses nothing and applies nothing twice: each batch is
/// one transaction (decisions, ledger, state and queue position), so a restart resumes exactly
/// where the last commit left off.
@Suite struct CrashSafetyTests {
    @Test func killedRepeatedlyMidRunThenFinishedEqualsDryRun() throws {
        let directory = try QueueCommandTests.workload(events: 20_000)
        defer { directory.remove() }
        #expect(try CashbackBinary.run(["enqueue", "--db", "q.sqlite", "events.jsonl"], in: directory.url).status == 0)
        let store = try SQLiteStore(path: directory.path("q.sqlite"))
        var kills = 0
        var depth = try store.queueDepth()
        while kills < 5 && depth > 0 {
            let process = Process()
            process.executableURL = CashbackBinary.executable
            process.arguments = ["process", "--db", "q.sqlite", "--rules", "rules", "--workers", "2", "--batch-size", "64"]
            process.currentDirectoryURL = directory.url
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill it once it has committed something, wherever it is then.
            while process.isRunning, try store.queueDepth() == depth { usleep(2_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            depth = try store.queueDepth()
        }
        #expect(kills >= 3, "the run was killed mid-way several times")
        let finish = try CashbackBinary.run(["process", "--db", "q.sqlite", "--rules", "rules"], in: directory.url)
        #expect(finish.status == 0)
        #expect(try store.queueDepth() == 0)
        let decisions = try CashbackBinary.run(["decisions", "--db", "q.sqlite"], in: directory.url)
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--format", "json", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(decisions.stdout == dryRun.stdout, "nothing lost, nothing applied twice")
    }
}
