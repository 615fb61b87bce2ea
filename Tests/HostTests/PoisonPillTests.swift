import Engine
import Foundation
import PluginTestSupport
import Testing

/// `cashback dry-run` on events whose local dates fall in year 0 or year 10000: it decides them
/// and the events after them, instead of dying with SIGILL (issue 8, A).
@Suite struct PoisonPillTests {
    static let poisonPill =
        #"{"id":"p","account":"C1","occurred_at":"9999-12-31T23:30:00Z","amount":"41.90","currency":"EUR","merchant":{"siret":"65201405100033","name":"CRF CITY PARIS 11","mcc":"5411","country":"FR"}}"#
    static let after =
        #"{"id":"after","account":"C1","occurred_at":"2026-11-07T10:00:00+01:00","amount":"60.00","currency":"EUR","merchant":{"siret":"65201405100033","mcc":"5411","country":"FR"}}"#
    static let rules = CashbackBinary.repositoryRoot.appendingPathComponent("rules").path

    static let edgeTimestamps = [
        "0001-01-01T00:00:00Z", "0001-01-01T00:30:00+00:00", "0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00+23:59",
        "0001-01-01T11:59:59.999999999-12:00", "9999-12-31T23:30:00Z", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59-12:00",
        "9999-12-31T23:59:59-23:59", "9999-12-31T10:00:00-14:00",
    ]

    static func decisions(_ result: CashbackBinary.Result) throws -> [JSONValue] {
        try result.lines.map { try JSONParser.parse($0) }
    }

    @Test func thePoisonPillIsDecidedAndTheEventsAfterItToo() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("events.jsonl", [PoisonPillTests.poisonPill, PoisonPillTests.after].joined(separator: "\n") + "\n")
        for format in ["json", "table", "csv"] {
            for explain in [[], ["--explain"]] {
                let result = try CashbackBinary.run(
                    ["dry-run", "--rules", PoisonPillTests.rules, "--format", format] + explain + ["events.jsonl"],
                    in: directory.url)
                #expect(result.status == 0, "\(format) \(explain): \(result.stderr.prefix(2000))")
                #expect(result.stdout.contains("after"), "the event after the poison pill is decided")
            }
        }
        let result = try CashbackBinary.run(
            ["dry-run", "--rules", PoisonPillTests.rules, "--format", "json", "--explain", "events.jsonl"], in: directory.url)
        let decisions = try PoisonPillTests.decisions(result)
        #expect(decisions.count == 2)
        #expect(decisions.first?["partner"] == .string("carrefour"))
        #expect(decisions.first?["status"] == .string("rewarded"))
        #expect(result.stdout.contains("local date is 10000-01-01"))
        #expect(decisions.last?["event"] == .string("after"))
        #expect(decisions.last?["status"] == .string("rewarded"))
    }

    @Test func edgeTimestampsOverTheShippedRulesAreAllDecided() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let merchants = [
            #"{"siret":"65201405100033","mcc":"5411","country":"FR"}"#, #"{"mid":"MID345","country":"FR"}"#,
            #"{"name":"FNAC PARIS","country":"FR","channel":"online"}"#, #"{"name":"SHOP","country":"DE"}"#,
        ]
        var lines: [String] = []
        for (stamp, timestamp) in PoisonPillTests.edgeTimestamps.enumerated() {
            for (index, merchant) in merchants.enumerated() {
                let id = "e\(stamp)-\(index)"
                lines.append(
                    #"{"id":"\#(id)","account":"A","occurred_at":"\#(timestamp)","amount":"250.00","currency":"EUR","merchant":\#(merchant),"original_amount":"300.00","original_currency":"USD"}"#
                )
                lines.append(
                    #"{"id":"r\#(id)","type":"refund","original_id":"\#(id)","occurred_at":"\#(timestamp)","amount":"10.00","currency":"EUR"}"#
                )
            }
        }
        lines.append(PoisonPillTests.after)
        try directory.write("events.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try CashbackBinary.run(
            ["dry-run", "--rules", PoisonPillTests.rules, "--format", "json", "--explain", "events.jsonl"], in: directory.url)
        #expect(result.status == 0, "\(result.stderr.prefix(2000))")
        let decisions = try PoisonPillTests.decisions(result)
        #expect(decisions.count == lines.count)
        for decision in decisions {
            let status = decision["status"]
            #expect(
                status == .string("rewarded") || status == .string("no_reward") || status == .string("clawback"), "\(decision)")
        }
        #expect(decisions.last?["event"] == .string("after"))
        #expect(decisions.last?["status"] == .string("rewarded"))
    }

    @Test func edgeTimestampsOverEveryPeriodKindAndCalendarConditionAreAllDecided() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try HostileCalendarRules.write(under: directory.url.path)
        let lint = try CashbackBinary.run(["lint", "rules"], in: directory.url)
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        var lines: [String] = []
        for (stamp, timestamp) in PoisonPillTests.edgeTimestamps.enumerated() {
            for index in HostileCalendarRules.zones.indices {
                for (kind, merchant) in [#"{"mid":"M\#(index)"}"#, #"{"name":"ZONE\#(index) SHOP"}"#].enumerated() {
                    let id = "e\(stamp)-\(index)-\(kind)"
                    lines.append(
                        #"{"id":"\#(id)","account":"A\#(index)","occurred_at":"\#(timestamp)","amount":"12.34","currency":"EUR","merchant":\#(merchant)}"#
                    )
                    lines.append(#"{"id":"r\#(id)","type":"reversal","original_id":"\#(id)","occurred_at":"\#(timestamp)"}"#)
                }
            }
        }
        lines.append(
            #"{"id":"after","account":"A1","occurred_at":"2026-11-02T10:00:00Z","amount":"20.00","currency":"EUR","merchant":{"mid":"M1"}}"#
        )
        try directory.write("events.jsonl", lines.joined(separator: "\n") + "\n")
        for explain in [[], ["--explain"]] {
            let result = try CashbackBinary.run(
                ["dry-run", "--rules", "rules", "--format", "json"] + explain + ["events.jsonl"], in: directory.url)
            #expect(result.status == 0, "\(result.stderr.prefix(2000))")
            let decisions = try PoisonPillTests.decisions(result)
            #expect(decisions.count == lines.count)
            for decision in decisions {
                let status = decision["status"]
                #expect(
                    status == .string("rewarded") || status == .string("no_reward") || status == .string("clawback"),
                    "\(decision)")
            }
            #expect(decisions.last?["status"] == .string("rewarded"))
            if !explain.isEmpty {
                #expect(result.stdout.contains("local date is 10000-01-01"))
                #expect(result.stdout.contains("local date is 0000-12-31"))
            }
        }
        let table = try CashbackBinary.run(["dry-run", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(table.status == 0, "\(table.stderr.prefix(2000))")
    }
}
