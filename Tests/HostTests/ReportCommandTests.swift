import Engine
import Foundation
import Testing

/// `cashback report`: one self-contained HTML page whose figures are the other commands'.
@Suite struct ReportCommandTests {
    static let rules = PartnerFiguresTests.rules
    static let samples = PartnerFiguresTests.samples

    /// The cells of the row of `partner` (or of the account, with `key: "account"`) in the
    /// section `section`, tags dropped.
    static func row(_ partner: String, in section: String, of page: String, key: String = "partner") throws -> [String] {
        let part = try #require(page.components(separatedBy: "<section id=\(section)>").dropFirst().first)
        let cells = try #require(part.components(separatedBy: "data-\(key)=\"\(partner)\"").dropFirst().first)
            .components(separatedBy: "</tr>")[0]
        return cells.replacingOccurrences(of: #"<[^>]+>"#, with: " ", options: .regularExpression)
            .split(separator: " ").map(String.init).filter { !$0.hasPrefix("data-") && $0 != ">" }
    }

    /// Nothing the page could fetch: no script, no link out, no external style or font.
    static func expectSelfContained(_ page: String) {
        #expect(page.hasPrefix("<!doctype html>") && page.hasSuffix("</html>\n"))
        for outside in ["<script", "http:", "https:", "src=", "href=", "@import", "url("] {
            #expect(!page.contains(outside), "\(outside)")
        }
    }

    @Test func aDryRunsReportShowsTheFiguresBudgetsChartsAndTheMostCappedAccounts() throws {
        let report = try CashbackBinary.run(["report", "--rules", Self.rules, Self.samples])
        #expect(report.status == 0, "\(report.stderr)")
        let page = report.stdout
        Self.expectSelfContained(page)
        #expect(try Self.row("fnac", in: "summary", of: page) == ["fnac", "EUR"] + PartnerFiguresTests.fnac.map(\.value))
        #expect(try Self.row("fnac", in: "budgets", of: page).prefix(4) == ["fnac", "1000.00", "1000.00", "0.00"])
        #expect(page.components(separatedBy: "<svg").count > 8, "a gauge per budget and a chart per partner")
        #expect(page.contains("<h3>fnac, EUR, "))

        // The most capped accounts, counted from dry-run's traces.
        let explained = try CashbackBinary.run(["dry-run", "--rules", Self.rules, "--format", "json", "--explain", Self.samples])
        var cut: [String: Int] = [:]
        for line in explained.lines {
            guard let decision = try? JSONParser.parse(line), case .string(let account)? = decision["account"],
                let trace = decision["trace"], Self.anyCut(trace)
            else { continue }
            cut[account, default: 0] += 1
        }
        let top = try #require(cut.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.first)
        #expect(try Self.row(top.key, in: "capped", of: page, key: "account") == [top.key, String(top.value)])
    }

    static func anyCut(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members):
            if let before = value["before"]?.asString, let after = value["after"]?.asString,
                let beforeUnits = Int(before.replacingOccurrences(of: ".", with: "")),
                let afterUnits = Int(after.replacingOccurrences(of: ".", with: "")), afterUnits < beforeUnits
            {
                return true
            }
            return members.contains { anyCut($0.value) }
        case .array(let items): return items.contains(where: anyCut)
        default: return false
        }
    }

    @Test func aDiffsReportShowsEachPartnersDeltaAndTheChangedEvents() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.copyItem(atPath: Self.rules, toPath: directory.path("draft"))
        let fnac = directory.path("draft/partners/fnac.yaml")
        try directory.write(
            "draft/partners/fnac.yaml",
            try String(contentsOfFile: fnac, encoding: .utf8).replacingOccurrences(of: "budget: 1000.00", with: "budget: 1200.00")
        )
        let report = try CashbackBinary.run(
            ["report", "--base", Self.rules, "--rules", "draft", "--out", "report.html", Self.samples], in: directory.url)
        #expect(report.status == 0 && report.stdout.isEmpty, "\(report.stderr)")
        let page = try String(contentsOfFile: directory.path("report.html"), encoding: .utf8)
        Self.expectSelfContained(page)
        let diff = try JSONParser.parse(
            try CashbackBinary.run(
                ["diff", "--base", Self.rules, "--rules", "draft", "--format", "json", Self.samples], in: directory.url
            ).stdout)
        let delta = try #require(diff["partners"]?.asArray?.first { $0["partner"] == .string("fnac") }?["delta"]?.asString)
        #expect(page.contains(">fnac \(delta)</text>"), "the bar of fnac's delta, \(delta)")
        let changed = try #require(diff["changed"]?.asInt)
        #expect(page.contains("<p>\(changed) events changed.</p>"))
        let first = try #require(diff["events"]?.asArray?.first?["event"]?.asString)
        #expect(page.contains("<tr><td>\(first)</td>"))
        #expect(try Self.row("fnac", in: "budgets", of: page).prefix(2) == ["fnac", "1200.00"], "the new rules' budget")
    }

    @Test(arguments: StoreBackend.available) func aDatabasesReportShowsWhatItStoredBetweenTwoDates(backend: StoreBackend)
        throws
    {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        let accepted = try PartnerFiguresTests.acceptedSamples(in: directory)
        #expect(try CashbackBinary.run(["enqueue", "--db", database.argument, accepted], in: directory.url).status == 0)
        #expect(
            try CashbackBinary.run(["process", "--db", database.argument, "--rules", Self.rules], in: directory.url).status == 0)
        let whole = try CashbackBinary.run(["report", "--rules", Self.rules, "--db", database.argument], in: directory.url)
        #expect(whole.status == 0, "\(whole.stderr)")
        Self.expectSelfContained(whole.stdout)
        #expect(try Self.row("fnac", in: "summary", of: whole.stdout) == ["fnac", "EUR"] + PartnerFiguresTests.fnac.map(\.value))
        // Processed today, all of it: the whole budget burnt in the last 7 days, nothing left to run out.
        #expect(
            try Self.row("fnac", in: "budgets", of: whole.stdout)
                == ["fnac", "1000.00", "1000.00", "0.00", "1000.00", "1000.00", "-"])

        // The first half of November in Paris: Fnac's payments counted from the events and dry-run.
        let paris = try #require(Zone(identifier: "Europe/Paris"))
        let dryRun = try CashbackBinary.run(["dry-run", "--rules", Self.rules, "--format", "json", accepted], in: directory.url)
        var occurred: [String: CivilDate] = [:]
        for line in try String(contentsOfFile: directory.path(accepted), encoding: .utf8).split(separator: "\n") {
            let event = try JSONParser.parse(String(line))
            guard let id = event["id"]?.asString, let time = event["occurred_at"]?.asString else { continue }
            occurred[id] = paris.localTime(try Timestamp.parse(time).get()).date
        }
        let first = try #require(CivilDate(iso: "2026-11-01"))
        let last = try #require(CivilDate(iso: "2026-11-15"))
        let payments = try dryRun.lines.filter { line in
            let decision = try JSONParser.parse(line)
            guard decision["partner"] == .string("fnac"), decision["status"] != .string("clawback"),
                let id = decision["event"]?.asString, let day = occurred[id]
            else { return false }
            return day >= first && day <= last
        }.count
        let half = try CashbackBinary.run(
            ["report", "--rules", Self.rules, "--db", database.argument, "--from", "2026-11-01", "--until", "2026-11-15"],
            in: directory.url)
        let row = try Self.row("fnac", in: "summary", of: half.stdout)
        #expect(row.count == 10 && row[2] == String(payments) && payments > 0, "\(row)")

        let misused = try CashbackBinary.run(["report", "--from", "2026-11-01", Self.samples], in: directory.url)
        #expect(misused.status != 0 && misused.stderr.contains("--from and --until go with --db"))
    }
}
