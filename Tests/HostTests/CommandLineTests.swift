import Foundation
import Testing

/// Small promises of the command line that operators script against.
@Suite struct CommandLineTests {
    @Test func versionGoesToStandardOutput() throws {
        let result = try CashbackBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: StoreBackend.available) func deadSaysSoWhenThereAreNone(backend: StoreBackend) throws {
        let directory = try QueueCommandTests.workload(events: 10)
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory, file: "d.sqlite")
        defer { database.drop() }
        #expect(try CashbackBinary.run(["enqueue", "--db", database.argument, "events.jsonl"], in: directory.url).status == 0)
        let dead = try CashbackBinary.run(["dead", "--db", database.argument], in: directory.url)
        #expect(dead.status == 0)
        #expect(dead.stdout == "no dead events\n")
    }
}
