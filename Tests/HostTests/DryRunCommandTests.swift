import BuiltinPlugins
import Engine
import Foundation
import Testing

/// `cashback dry-run` on the shipped samples, the way an operator runs it.
@Suite struct DryRunCommandTests {
    static let samples = "rules/samples/payments.jsonl"

    @Test func samplesRunInEveryFormatWithOneDecisionPerEvent() throws {
        let eventLines = try String(
            contentsOfFile: CashbackBinary.repositoryRoot.appendingPathComponent(DryRunCommandTests.samples).path, encoding: .utf8
        )
        .split(separator: "\n", omittingEmptySubsequences: true).count
        #expect(eventLines >= 1000)

        let json = try CashbackBinary.run(["dry-run", "--format", "json", DryRunCommandTests.samples])
        #expect(json.status == 0, "\(json.stderr)")
        let decisions = try json.lines.map { try JSONParser.parse($0) }
        let deferred = decisions.filter { $0["deferred"] == .bool(true) }.count
        #expect(decisions.count == eventLines + deferred, "one decision per event, plus deferred orphans")
        for status in ["rewarded", "no_reward", "clawback", "orphan", "duplicate", "conflict", "invalid"] {
            #expect(decisions.contains { $0["status"] == .string(status) }, "samples have no \(status) decision")
        }

        let csv = try CashbackBinary.run(["dry-run", "--format", "csv", DryRunCommandTests.samples])
        #expect(csv.status == 0)
        #expect(csv.lines.first?.hasPrefix("file,line,event,type") == true)
        #expect(csv.lines.count == decisions.count + 1)

        let table = try CashbackBinary.run(["dry-run", DryRunCommandTests.samples])
        #expect(table.status == 0)
        #expect(table.stdout.contains("Summary by partner and currency"))
        #expect(table.stdout.contains("decathlon"))
    }

    @Test func explainAddsATraceWithLimitsAndFailedConditions() throws {
        let result = try CashbackBinary.run(["dry-run", "--format", "json", "--explain", DryRunCommandTests.samples])
        #expect(result.status == 0)
        let decisions = try result.lines.map { try JSONParser.parse($0) }
        let payments = decisions.filter { $0["status"] == .string("rewarded") }
        #expect(!payments.isEmpty && payments.allSatisfy { $0["trace"] != nil })
        #expect(result.stdout.contains(#""failed":"#), "a failing condition is explained in words")
        #expect(result.stdout.contains(#""before":"#) && result.stdout.contains(#""after":"#))
    }

    @Test func readsStandardInputAndSeveralFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let payment =
            #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"50.00","currency":"EUR","merchant":{"mid":"MID345","country":"FR"}}"#
        let stdin = try CashbackBinary.run(
            ["dry-run", "--format", "json", "--rules", CashbackBinary.repositoryRoot.appendingPathComponent("rules").path, "-"],
            in: directory.url, input: payment + "\n")
        #expect(stdin.status == 0, "\(stdin.stderr)")
        #expect(stdin.lines.count == 1)
        #expect(stdin.stdout.contains(#""partner":"decathlon""#))

        try directory.write("a.jsonl", payment + "\n")
        try directory.write("b.jsonl", "\n{not json\n")
        let both = try CashbackBinary.run(
            [
                "dry-run", "--format", "json", "--rules", CashbackBinary.repositoryRoot.appendingPathComponent("rules").path,
                "a.jsonl", "b.jsonl",
            ], in: directory.url)
        #expect(both.lines.count == 2)
        #expect(both.lines.last?.contains(#""line":2,"file":"b.jsonl","status":"invalid""#) == true, "\(both.stdout)")
    }

    @Test func aFileThatCannotBeReadStopsTheRunAfterTheDecisionsBeforeIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // More events than the pipeline hands over at a time, so that several batches are
        // decided and printed before the reading stage meets the missing file.
        let payments = (0..<1000).map { index in
            #"{"id":"p\#(index)","account":"a\#(index % 7)","occurred_at":"2026-11-02T10:00:00Z","amount":"50.00","currency":"EUR","merchant":{"mid":"MID345","country":"FR"}}"#
        }
        try directory.write("a.jsonl", payments.joined(separator: "\n") + "\n")
        let rules = CashbackBinary.repositoryRoot.appendingPathComponent("rules").path
        for command in ["dry-run", "diff"] {
            var arguments = [command, "--rules", rules, "a.jsonl", "missing.jsonl"]
            if command == "diff" { arguments += ["--base", rules] } else { arguments += ["--format", "json"] }
            let result = try CashbackBinary.run(arguments, in: directory.url)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("missing.jsonl: cannot open the file"), "\(command): \(result.stderr)")
            if command == "dry-run" {
                #expect(result.lines.count == payments.count, "every event of the first file is decided and printed")
                #expect(result.lines.last?.contains(#""event":"p999""#) == true)
            }
        }
    }

    @Test func exitStatusesFollowTheSpec() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("bad.jsonl", "{\"id\":\"x\"}\n")
        try directory.write("rules/partners/broken.yaml", "partner: Broken\n")
        let rules = CashbackBinary.repositoryRoot.appendingPathComponent("rules").path
        #expect(try CashbackBinary.run(["dry-run", "--rules", rules, "bad.jsonl"], in: directory.url).status == 0)
        #expect(try CashbackBinary.run(["dry-run", "--rules", rules, "--strict", "bad.jsonl"], in: directory.url).status == 3)
        #expect(try CashbackBinary.run(["dry-run", "--rules", "rules", "bad.jsonl"], in: directory.url).status == 1)
        #expect(try CashbackBinary.run(["dry-run", "--rules", rules, "missing.jsonl"], in: directory.url).status == 2)
        #expect(
            try CashbackBinary.run(["dry-run", "--rules", rules, "--format", "xml", "bad.jsonl"], in: directory.url).status == 2)
    }

    @Test func pluginsListsEveryKindWithAnExample() throws {
        let result = try CashbackBinary.run(["plugins"])
        #expect(result.status == 0)
        for kind in PluginRegistry.builtin.allKinds {
            #expect(result.lines.contains { $0.hasPrefix("  \(kind) ") }, "\(kind) missing")
        }
    }
}
