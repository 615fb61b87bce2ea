import Engine
import Foundation
import Testing

/// `cashback diff`: the shipped samples under the shipped rules and under a draft where
/// Decathlon pays 6% instead of 5% with a 24.00 monthly cap instead of 20.00.
@Suite struct DiffCommandTests {
    static func draft() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CashbackBinary.repositoryRoot.appendingPathComponent("rules"), to: directory.url.appendingPathComponent("new"))
        let path = directory.path("new/partners/decathlon.yaml")
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "reward: { percentage: 5% }", with: "reward: { percentage: 6% }")
            .replacingOccurrences(
                of: "- { per: account, period: month, max: 20.00 }", with: "- { per: account, period: month, max: 24.00 }")
        try directory.write("new/partners/decathlon.yaml", text)
        return directory
    }

    /// Net cashback per event id and the decathlon total, from a dry-run's JSON decisions.
    static func dryRun(rules: String, in directory: URL) throws -> (decisions: [String: [String]], decathlon: Int) {
        let result = try CashbackBinary.run(
            [
                "dry-run", "--format", "json", "--rules", rules,
                CashbackBinary.repositoryRoot.appendingPathComponent("rules/samples/payments.jsonl").path,
            ],
            in: directory)
        var decisions: [String: [String]] = [:]
        var decathlon = 0
        for line in result.lines {
            let json = try JSONParser.parse(line)
            guard case .string(let id)? = json["event"] else { continue }
            decisions[id, default: []].append(line)
            if json["partner"] == .string("decathlon"), case .string(let cashback)? = json["cashback"] {
                let negative = cashback.hasPrefix("-")
                let units = try DecimalAmount.minorUnits(negative ? String(cashback.dropFirst()) : cashback, digits: 2).get()
                decathlon += negative ? -units : units
            }
        }
        return (decisions, decathlon)
    }

    @Test func showsThePartnersDeltaAndExactlyTheChangedEvents() throws {
        let directory = try DiffCommandTests.draft()
        defer { directory.remove() }
        let base = try DiffCommandTests.dryRun(
            rules: CashbackBinary.repositoryRoot.appendingPathComponent("rules").path, in: directory.url)
        let draft = try DiffCommandTests.dryRun(rules: "new", in: directory.url)
        let changed = Set(base.decisions.keys.filter { base.decisions[$0] != draft.decisions[$0] })
        #expect(!changed.isEmpty)

        let diff = try CashbackBinary.run(
            [
                "diff", "--base", CashbackBinary.repositoryRoot.appendingPathComponent("rules").path, "--rules", "new",
                "--format", "json",
                "--show", "10000", CashbackBinary.repositoryRoot.appendingPathComponent("rules/samples/payments.jsonl").path,
            ],
            in: directory.url)
        #expect(diff.status == 0, "\(diff.stderr)")
        let json = try JSONParser.parse(diff.stdout)
        #expect(json["changed"] == .number(String(changed.count)))
        guard case .array(let rows)? = json["partners"], case .array(let events)? = json["events"] else {
            Issue.record("no partners or events in \(diff.stdout.prefix(300))")
            return
        }
        let decathlon = try #require(rows.first { $0["partner"] == .string("decathlon") })
        #expect(decathlon["delta"] == .string(DecimalAmount.format(draft.decathlon - base.decathlon, digits: 2)))
        for row in rows where row["partner"] != .string("decathlon") {
            #expect(row["delta"] == .string("0.00"), "only Decathlon changes: \(row)")
        }
        let listed = Set(
            events.compactMap { event -> String? in
                if case .string(let id)? = event["event"] { return id }
                return nil
            })
        #expect(listed == changed)

        // By hand: pay-000070 is 18.00 at Decathlon with the cap far away: 5% = 0.90, 6% = 1.08.
        #expect(events.contains { $0["event"] == .string("pay-000070") })
        let text = diff.stdout
        #expect(text.contains(#"{"event":"pay-000070","base":[{"event":"pay-000070","type":"payment","account":"#))
        #expect(text.contains(#""lines":[{"rule":"decathlon/base","amount":"0.90"}]}],"rules":[{"event":"pay-000070""#))
        #expect(text.contains(#""lines":[{"rule":"decathlon/base","amount":"1.08"}]}]}"#))
    }

    @Test(arguments: StoreBackend.available) func replaysTheStoredQueueLikeTheFile(backend: StoreBackend) throws {
        let directory = try QueueCommandTests.workload(events: 800)
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        _ = try CashbackBinary.run(["enqueue", "--db", database.argument, "events.jsonl"], in: directory.url)
        try FileManager.default.copyItem(
            at: directory.url.appendingPathComponent("rules"), to: directory.url.appendingPathComponent("draft"))
        let path = directory.path("draft/partners/budgeted.yaml")
        try directory.write(
            "draft/partners/budgeted.yaml",
            try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "budget: 150.00", with: "budget: 90.00"))
        let fromFile = try CashbackBinary.run(
            ["diff", "--base", "rules", "--rules", "draft", "--format", "json", "events.jsonl"], in: directory.url)
        let fromQueue = try CashbackBinary.run(
            ["diff", "--base", "rules", "--rules", "draft", "--format", "json", "--db", database.argument], in: directory.url)
        #expect(fromFile.status == 0 && fromQueue.status == 0)
        #expect(fromFile.stdout == fromQueue.stdout)
        #expect(fromFile.stdout.contains(#""partner":"budgeted","currency":"EUR","base":{"#))
        #expect(!fromFile.stdout.contains(#""changed":0,"#))
    }
}
