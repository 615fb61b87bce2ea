import Foundation
import Testing

/// `kill -9` at any moment of `process` loses nothing and applies nothing twice: each batch is
/// one transaction (decisions, ledger, state and queue position), so a restart resumes exactly
/// where the last commit left off.
@Suite struct CrashSafetyTests {
    @Test(arguments: StoreBackend.available) func killedRepeatedlyMidRunThenFinishedEqualsDryRun(backend: StoreBackend) throws {
        let directory = try QueueCommandTests.workload(events: backend == .sqlite ? 20_000 : 6_000)
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        let db = database.argument
        #expect(try CashbackBinary.run(["enqueue", "--db", db, "events.jsonl"], in: directory.url).status == 0)
        var kills = 0
        var depth = try database.queueDepth()
        while kills < 5 && depth > 0 {
            let process = Process()
            process.executableURL = CashbackBinary.executable
            process.arguments = ["process", "--db", db, "--rules", "rules", "--workers", "2", "--batch-size", "64"]
            process.currentDirectoryURL = directory.url
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Kill it once it has committed something, wherever it is then.
            while process.isRunning, try database.queueDepth() == depth { usleep(2_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            depth = try database.queueDepth()
        }
        #expect(kills >= 3, "the run was killed mid-way several times")
        // On PostgreSQL the next run waits for the killed one's lease to run out first.
        let finish = try CashbackBinary.run(["process", "--db", db, "--rules", "rules"], in: directory.url)
        #expect(finish.status == 0, "\(finish.stderr)")
        #expect(try database.queueDepth() == 0)
        let decisions = try CashbackBinary.run(["decisions", "--db", db], in: directory.url)
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--format", "json", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(decisions.stdout == dryRun.stdout, "nothing lost, nothing applied twice")
    }
}
