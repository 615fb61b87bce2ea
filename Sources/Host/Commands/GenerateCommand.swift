import ArgumentParser
import Foundation
import Workload

/// `cashback generate`: writes a synthetic rules directory and event stream, for load tests,
/// benchmarks and checking the scheduler against `dry-run`.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic rules directory (OUT/rules) and event stream (OUT/events.jsonl).")

    @Option(help: "The folder to write.")
    var out: String

    @Option(help: "Partner files (at least 3).")
    var partners = 3

    @Option(help: "Accounts the payments are spread over.")
    var accounts = 40

    @Option(help: "Events to write.")
    var events = 20_000

    @Option(help: "Random seed: the same seed writes the same stream.")
    var seed: UInt64 = 1

    @Flag(help: "Mix in invalid lines and conflicting ids (enqueue refuses such files).")
    var rejects = false

    func run() throws {
        let workload = Workload(partners: partners, accounts: accounts, includeRejects: rejects)
        let root = URL(fileURLWithPath: out)
        for file in workload.ruleFiles {
            let url = root.appendingPathComponent("rules").appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url)
        }
        let lines = workload.events(count: events, seed: seed)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: root.appendingPathComponent("events.jsonl"))
        print(
            "wrote \(root.path)/rules (\(workload.ruleFiles.count) files) and \(root.path)/events.jsonl (\(lines.count) events)")
    }
}
