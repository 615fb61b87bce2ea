import Engine
import Foundation
import Testing

/// SPEC §5.1: one set of partner figures, the same in `dry-run`'s summary, `diff`'s, and the
/// stats endpoint on either store, for the shipped samples.
@Suite struct PartnerFiguresTests {
    static let rules = CashbackBinary.repositoryRoot.appendingPathComponent("rules").path
    static let samples = CashbackBinary.repositoryRoot.appendingPathComponent("rules/samples/payments.jsonl").path

    /// Fnac's figures over the samples, in the order of the stats' and diff's members.
    static let fnac: [(name: String, value: String)] = [
        ("payments", "159"), ("rewarded", "159"), ("spend", "33620.90"), ("partner_funded", "1049.63"),
        ("bank_funded", "61.43"), ("partner_clawbacks", "-49.63"), ("bank_clawbacks", "-0.59"), ("net", "1060.84"),
    ]

    /// The figures worked out from the samples and the decisions one by one, as a person would:
    /// count Fnac's payments (not its refunds) and add up their amounts; split each decision's
    /// lines into Fnac's own (`fnac/…`) and the programme's, payments' apart from clawbacks'.
    @Test func theSamplesFiguresAreWhatAHandCountGives() throws {
        let dryRun = try CashbackBinary.run(["dry-run", "--rules", Self.rules, "--format", "json", Self.samples])
        var amounts: [String: Int] = [:]
        for line in try String(contentsOfFile: Self.samples, encoding: .utf8).split(separator: "\n") {
            guard let event = try? JSONParser.parse(String(line)), case .string(let id)? = event["id"],
                case .string(let amount)? = event["amount"],
                let cents = Int(amount.replacingOccurrences(of: ".", with: ""))
            else { continue }
            amounts[id] = cents
        }
        var (payments, rewarded, spend, own, bank, ownBack, bankBack) = (0, 0, 0, 0, 0, 0, 0)
        for line in dryRun.lines {
            let decision = try JSONParser.parse(line)
            guard decision["partner"] == .string("fnac"), case .string(let status)? = decision["status"],
                case .string(let id)? = decision["event"]
            else { continue }
            let clawback = status == "clawback"
            if !clawback {
                payments += 1
                spend += try #require(amounts[id], "the amount of \(id)")
                if status == "rewarded" { rewarded += 1 }
            }
            guard case .array(let lines)? = decision["lines"] else { continue }
            for entry in lines {
                guard case .string(let rule)? = entry["rule"], case .string(let amount)? = entry["amount"],
                    let cents = Int(amount.replacingOccurrences(of: ".", with: ""))
                else { continue }
                switch (rule.hasPrefix("fnac/"), clawback) {
                case (true, false): own += cents
                case (false, false): bank += cents
                case (true, true): ownBack += cents
                case (false, true): bankBack += cents
                }
            }
        }
        let euros = { (cents: Int) in DecimalAmount.format(cents, digits: 2) }
        let counted = [
            String(payments), String(rewarded), euros(spend), euros(own), euros(bank), euros(ownBack), euros(bankBack),
            euros(own + bank + ownBack + bankBack),
        ]
        #expect(counted == Self.fnac.map(\.value))
        #expect(euros(own + ownBack) == "1000.00", "Fnac's budget of 1000.00 is used up, net of clawbacks")
    }

    @Test func dryRunsSummaryShowsThem() throws {
        let table = try CashbackBinary.run(["dry-run", "--rules", Self.rules, Self.samples])
        let row = try #require(table.lines.first { $0.hasPrefix("fnac ") }).split(separator: " ").map(String.init)
        #expect(row == ["fnac", "EUR"] + Self.fnac.map(\.value))
        let header = try #require(table.lines.first { $0.hasPrefix("PARTNER ") })
        #expect(header.contains("PARTNER-FUNDED") && header.contains("BANK-FUNDED") && header.contains("NET"))
    }

    @Test func diffShowsThemOnBothSides() throws {
        let diff = try CashbackBinary.run(
            ["diff", "--base", Self.rules, "--rules", Self.rules, "--format", "json", Self.samples])
        let fnac = try #require(
            JSONParser.parse(diff.stdout)["partners"]?.asArray?.first { $0["partner"] == .string("fnac") })
        for side in ["base", "rules"] {
            for (name, value) in Self.fnac {
                #expect(fnac[side]?[name] == (["payments", "rewarded"].contains(name) ? .number(value) : .string(value)))
            }
        }
        let table = try CashbackBinary.run(["diff", "--base", Self.rules, "--rules", Self.rules, Self.samples])
        let row = try #require(table.lines.first { $0.hasPrefix("fnac ") }).split(separator: " ").map(String.init)
        #expect(row.prefix(6) == ["fnac", "EUR", "159/159", "159/159", "1060.84", "1060.84"])
    }

    /// The samples `enqueue` takes: without their invalid lines and the one that conflicts with
    /// an earlier event (which `enqueue` refuses whole files for, and which count nowhere).
    static func acceptedSamples(in directory: TemporaryDirectory) throws -> String {
        let dryRun = try CashbackBinary.run(["dry-run", "--rules", Self.rules, "--format", "json", Self.samples])
        let invalid = Set(
            try dryRun.lines.compactMap { line -> Int? in
                let decision = try JSONParser.parse(line)
                return decision["status"] == .string("invalid") ? decision["line"]?.asInt : nil
            })
        var seen: [String: String] = [:]
        var accepted: [String] = []
        let lines = try String(contentsOfFile: Self.samples, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() where !invalid.contains(index + 1) && !line.isEmpty {
            guard case .string(let id)? = try JSONParser.parse(String(line))["id"] else { continue }
            if let earlier = seen[id], earlier != String(line) { continue }
            seen[id] = String(line)
            accepted.append(String(line))
        }
        try directory.write("accepted.jsonl", accepted.joined(separator: "\n") + "\n")
        return "accepted.jsonl"
    }

    @Test(arguments: StoreBackend.available) func theStatsEndpointShowsThemWithTheBudget(backend: StoreBackend) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        let db = database.argument
        let accepted = try Self.acceptedSamples(in: directory)
        let enqueue = try CashbackBinary.run(["enqueue", "--db", db, accepted], in: directory.url)
        #expect(enqueue.status == 0, "\(enqueue.stderr)")
        #expect(try CashbackBinary.run(["process", "--db", db, "--rules", Self.rules], in: directory.url).status == 0)
        let service = try RunningService(in: directory, arguments: ["--rules", Self.rules, "--db", db])
        let reply = try await service.request("GET", "/v1/partners/fnac/stats")
        #expect(service.terminate() == 0)
        let stats = try JSONParser.parse(reply.body)
        let euros = try #require(stats["currencies"]?.asArray?.first)
        for (name, value) in Self.fnac {
            #expect(euros[name] == (["payments", "rewarded"].contains(name) ? .number(value) : .string(value)), "\(name)")
        }
        #expect(stats["budget"]?["used"] == .string("1000.00") && stats["budget"]?["left"] == .string("0.00"), "\(reply.body)")
    }

    /// A PostgreSQL database of the first release that had one (without the bank's columns)
    /// gets them from its ledger when a later release opens it.
    @Test(.enabled(if: PostgresTestDatabase.isEnabled, "needs scripts/test's PostgreSQL cluster"))
    func anEarlierPostgresDatabaseGetsTheBanksFiguresFromItsLedger() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let accepted = try Self.acceptedSamples(in: directory)
        #expect(try CashbackBinary.run(["enqueue", "--db", database.url, accepted], in: directory.url).status == 0)
        #expect(try CashbackBinary.run(["process", "--db", database.url, "--rules", Self.rules], in: directory.url).status == 0)
        let figures =
            "SELECT partner || ' ' || bank_cashback || ' ' || bank_clawbacks FROM partner_totals ORDER BY partner, currency"
        let kept = try database.rows(figures)
        #expect(kept.contains("fnac 6143 -59"), "\(kept)")
        // What the earlier release left: its one migration, no bank columns.
        _ = try database.rows(
            """
            ALTER TABLE partner_totals DROP COLUMN bank_cashback, DROP COLUMN bank_clawbacks;
            DELETE FROM schema_migrations WHERE name = '2026-12-06 partner totals funded by the bank'
            """)
        #expect(try CashbackBinary.run(["process", "--db", database.url, "--rules", Self.rules], in: directory.url).status == 0)
        #expect(try database.rows(figures) == kept)
    }

    /// A budget of 100.00 at 10%: 20.00 used 20 days ago, 10.00 two days ago. The last 7 days
    /// burnt 10.00, the last 30 days 30.00; the 70.00 left last 49 days at 10.00 a week.
    @Test(arguments: StoreBackend.available) func theBudgetsBurnAndRunOutAreInTheStatsAndMetrics(backend: StoreBackend)
        async throws
    {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        try directory.write("rules/program.yaml", "currency: EUR\ntimezone: UTC\n")
        try directory.write(
            "rules/partners/shop.yaml",
            "partner: shop\nmatch: { mid: [M1] }\nbudget: 100.00\nrules:\n  - id: base\n    reward: { percentage: 10% }\n")
        let format = ISO8601DateFormatter()
        for (id, daysAgo, amount) in [("p1", 20.0, "200.00"), ("p2", 2.0, "100.00")] {
            let when = format.string(from: Date().addingTimeInterval(-daysAgo * 86_400))
            try directory.write(
                "\(id).jsonl",
                #"{"id":"\#(id)","account":"a1","occurred_at":"\#(when)","amount":"\#(amount)","currency":"EUR","merchant":{"mid":"M1"}}"#
                    + "\n")
            #expect(try CashbackBinary.run(["enqueue", "--db", database.argument, "\(id).jsonl"], in: directory.url).status == 0)
            let process = try CashbackBinary.run(
                ["process", "--db", database.argument, "--rules", "rules", "--now", when], in: directory.url)
            #expect(process.status == 0, "\(process.stderr)")
        }
        let service = try RunningService(in: directory, arguments: ["--rules", "rules", "--db", database.argument])
        let asked = Date()
        let reply = try await service.request("GET", "/v1/partners/shop/stats")
        let answered = Date()
        let metrics = try await service.request("GET", "/metrics").body
        let scraped = Date()
        #expect(service.terminate() == 0)
        let budget = try JSONParser.parse(reply.body)["budget"]
        #expect(budget?["used"] == .string("30.00") && budget?["left"] == .string("70.00"), "\(reply.body)")
        #expect(budget?["burn_7_days"] == .string("10.00") && budget?["burn_30_days"] == .string("30.00"), "\(reply.body)")
        let exhaustion = try #require(budget?["projected_exhaustion"]?.asString.flatMap { format.date(from: $0) })
        let weeks7 = 49.0 * 86_400
        #expect(exhaustion >= asked.addingTimeInterval(weeks7 - 1) && exhaustion <= answered.addingTimeInterval(weeks7 + 1))
        let gauge = try #require(
            metrics.split(separator: "\n").first {
                $0.hasPrefix(#"cashback_partner_budget_projected_exhaustion_timestamp_seconds{partner="shop",currency="EUR"}"#)
            })
        let seconds = try #require(Double(gauge.split(separator: " ").last ?? ""))
        #expect(
            seconds >= answered.addingTimeInterval(weeks7 - 1).timeIntervalSince1970
                && seconds <= scraped.addingTimeInterval(weeks7 + 1).timeIntervalSince1970,
            "the gauge says when, as a Unix time: \(gauge)")
        #expect(metrics.contains(#"cashback_partner_budget_remaining_minor_units{partner="shop",currency="EUR"} 7000"#))
    }
}
