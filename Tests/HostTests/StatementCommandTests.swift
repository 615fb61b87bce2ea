import Engine
import Foundation
import Testing

/// `cashback statement`: a partner's month, from a database processed day by day as a live
/// service would, against what the events' `dry-run` says the ledger must pay.
@Suite struct StatementCommandTests {
    static let events = [
        payment("p1", "2026-10-05", "100.00"), payment("p2", "2026-10-20", "50.00"),
        refund("r2", of: "p2", "2026-10-25", "20.00"), payment("p3", "2026-10-28", "80.00"),
        payment("p4", "2026-11-15", "200.00"), refund("r4", of: "p4", "2026-11-30", "50.00"),
        payment("p5", "2026-11-29", "30.00"), refund("r3", of: "p3", "2026-12-03", "80.00"),
        payment("p6", "2026-12-10", "40.00"), refund("r4b", of: "p4", "2026-12-20", "50.00"),
        payment("other", "2026-11-02", "70.00", mid: "B1"),
    ]

    static func payment(_ id: String, _ day: String, _ amount: String, mid: String = "M1") -> String {
        #"{"id":"\#(id)","account":"a1","occurred_at":"\#(day)T10:00:00Z","amount":"\#(amount)","currency":"EUR","merchant":{"mid":"\#(mid)"}}"#
    }

    static func refund(_ id: String, of original: String, _ day: String, _ amount: String) -> String {
        #"{"id":"\#(id)","type":"refund","original_id":"\#(original)","occurred_at":"\#(day)T10:00:00Z","amount":"\#(amount)","currency":"EUR"}"#
    }

    /// Rules: shop pays 10% at M1, the bank 1% everywhere; 30 days of refund window; UTC months.
    static func directory() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try directory.write(
            "rules/program.yaml",
            "currency: EUR\ntimezone: UTC\nconfirm_after: 30d\nrules:\n  - id: everywhere\n    reward: { percentage: 1% }\n")
        try directory.write(
            "rules/partners/shop.yaml",
            "partner: shop\nmatch: { mid: [M1] }\nrules:\n  - id: base\n    reward: { percentage: 10% }\n")
        try directory.write("events.jsonl", events.joined(separator: "\n") + "\n")
        return directory
    }

    /// What each month's statement must say, worked out from the decisions: a payment's own line
    /// is credited when it falls due, 30 days after the payment, less the clawbacks processed
    /// before then; a clawback processed after that is debited when processed (each day's events
    /// are processed at the day's end).
    static func expectedNet(byMonth dryRun: [String]) throws -> [String: Int] {
        var due: [String: (month: String, dueAt: String)] = [:]
        var credits: [String: Int] = [:]
        var net: [String: Int] = [:]
        for (line, event) in zip(dryRun, events) {
            let decision = try JSONParser.parse(line)
            let source = try JSONParser.parse(event)
            guard case .string(let id)? = source["id"], case .string(let occurred)? = source["occurred_at"] else { continue }
            let own = try (decision["lines"]?.asArray ?? []).filter { $0["rule"] == .string("shop/base") }.map { entry in
                try #require(Int(entry["amount"]?.asString?.replacingOccurrences(of: ".", with: "") ?? ""))
            }.reduce(0, +)
            let day = String(occurred.prefix(10))
            if case .string(let original)? = source["original_id"] {
                let payment = try #require(due[original])
                if day + "T23:59:59Z" < payment.dueAt {
                    credits[original, default: 0] += own
                } else {
                    net[String(day.prefix(7)), default: 0] += own
                }
            } else if own != 0 {
                let dueAt = try Timestamp.parse(occurred).get().adding(seconds: 30 * 86_400).description
                due[id] = (String(dueAt.prefix(7)), dueAt)
                credits[id, default: 0] += own
            }
        }
        for (id, amount) in credits { net[try #require(due[id]).month, default: 0] += amount }
        return net
    }

    @Test(arguments: StoreBackend.available) func eachMonthsNetIsWhatTheLedgerPaysByDryRun(backend: StoreBackend) throws {
        let directory = try Self.directory()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        let db = database.argument
        // Day by day, as a live service would: each day's events processed at its end.
        let days = Dictionary(grouping: Self.events) { event in
            String(event.components(separatedBy: #""occurred_at":""#)[1].prefix(10))
        }
        for day in days.keys.sorted() {
            try directory.write("day.jsonl", days[day]!.joined(separator: "\n") + "\n")
            #expect(try CashbackBinary.run(["enqueue", "--db", db, "day.jsonl"], in: directory.url).status == 0)
            let process = try CashbackBinary.run(
                ["process", "--db", db, "--rules", "rules", "--now", "\(day)T23:59:59Z"], in: directory.url)
            #expect(process.status == 0, "\(process.stderr)")
        }
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--rules", "rules", "--format", "json", "events.jsonl"], in: directory.url)
        let expected = try Self.expectedNet(byMonth: dryRun.lines)
        #expect(expected == ["2026-11": 2_100, "2026-12": 500, "2027-01": 400], "the worked example of the test's comment")

        var total = 0
        for month in ["2026-10", "2026-11", "2026-12", "2027-01", "2027-02"] {
            let run = try CashbackBinary.run(
                ["statement", "--db", db, "--partner", "shop", "--month", month, "--now", "2027-03-01T00:00:00Z"],
                in: directory.url)
            #expect(run.status == 0, "\(run.stderr)")
            let statement = try JSONParser.parse(run.stdout)
            #expect(statement["closed"] == .bool(true))
            let euros = statement["currencies"]?.asArray?.first
            let net = Int(euros?["net"]?.asString?.replacingOccurrences(of: ".", with: "") ?? "0") ?? -1
            #expect(net == expected[month, default: 0], "\(month): \(run.stdout)")
            total += net
            // The same statement again, in every format.
            let again = try CashbackBinary.run(
                ["statement", "--db", db, "--partner", "shop", "--month", month, "--now", "2027-03-01T00:00:00Z"],
                in: directory.url)
            #expect(again.stdout == run.stdout, "a closed month gives the same statement every time")
        }
        let ownLines = try database.texts("SELECT SUM(amount) FROM ledger WHERE rule = 'shop/base'")
        #expect(String(total) == ownLines.first, "every own line is in exactly one month")

        let december = try CashbackBinary.run(
            ["statement", "--db", db, "--partner", "shop", "--month", "2026-12", "--now", "2027-03-01T00:00:00Z"],
            in: directory.url)
        let json = try JSONParser.parse(december.stdout)
        let euros = try #require(json["currencies"]?.asArray?.first)
        #expect(euros["credits"] == .string("18.00") && euros["clawbacks"] == .string("-13.00"), "\(december.stdout)")
        #expect(
            euros["days"]?.asArray?.map { $0["date"]?.asString ?? "" } == [
                "2026-12-03", "2026-12-15", "2026-12-20", "2026-12-29",
            ])
        #expect(
            euros["rules"]?.asArray?.map { $0["rule"]?.asString ?? "" } == ["shop/base"], "the bank's lines are not the partner's"
        )
        #expect(json["rules_versions"]?.asArray?.count == 1)
    }

    @Test func csvAndHTMLCarryTheSameFiguresAndAnOpenMonthSaysSo() throws {
        let directory = try Self.directory()
        defer { directory.remove() }
        #expect(try CashbackBinary.run(["enqueue", "--db", "s.sqlite", "events.jsonl"], in: directory.url).status == 0)
        #expect(
            try CashbackBinary.run(
                ["process", "--db", "s.sqlite", "--rules", "rules", "--now", "2026-12-31T23:59:59Z"], in: directory.url
            )
            .status == 0)
        let arguments = [
            "statement", "--db", "s.sqlite", "--partner", "shop", "--month", "2027-01", "--now", "2027-01-20T00:00:00Z",
        ]
        let json = try JSONParser.parse(try CashbackBinary.run(arguments, in: directory.url).stdout)
        #expect(json["closed"] == .bool(false))
        let net = try #require(json["currencies"]?.asArray?.first?["net"]?.asString)
        let csv = try CashbackBinary.run(arguments + ["--format", "csv"], in: directory.url)
        #expect(csv.lines.first == "kind,currency,key,credits,clawbacks,net")
        #expect(csv.lines.contains { $0.hasPrefix("total,EUR,2027-01,") && $0.hasSuffix(",\(net)") }, "\(csv.stdout)")
        let html = try CashbackBinary.run(arguments + ["--format", "html"], in: directory.url)
        #expect(html.stdout.hasPrefix("<!doctype html>") && html.stdout.contains("net amount due \(net)"))
        #expect(html.stdout.contains("not over") && !html.stdout.contains("<script") && !html.stdout.contains("http"))

        let unknownMonth = try CashbackBinary.run(
            ["statement", "--db", "s.sqlite", "--partner", "shop", "--month", "2027-1"], in: directory.url)
        #expect(unknownMonth.status != 0 && unknownMonth.stderr.contains("--month: expected YYYY-MM"))
    }
}
