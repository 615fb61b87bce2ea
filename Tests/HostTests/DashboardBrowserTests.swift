import Engine
import Foundation
import Testing

/// The dashboard in a real browser: headless Chromium signs in with the token and loads every
/// page of a live `cashback serve` fed with the samples; the figures in the DOM must equal the
/// API's, and no page may leave a console error. With `CASHBACK_SCREENSHOTS=DIR` it also saves
/// a screenshot of each page there (`scripts/dashboard-screenshots` fills `docs/screenshots`).
@Suite struct DashboardBrowserTests {
    static let token = "dashboard-test-token"

    /// The harness sees what it must fail on: a console error, and a request to another origin.
    @Test func theBrowserReportsConsoleErrorsAndForeignRequests() async throws {
        let browser = try HeadlessChromium()
        defer { browser.close() }
        let page = try await browser.newPage()
        try await page.open(
            "data:text/html,<img src='http://127.0.0.1:9/nothing.png'><script>console.error('broken')</script>")
        let problems = page.problems(origin: "http://127.0.0.1:1")
        #expect(problems.contains { $0.contains("console.error") && $0.contains("broken") }, "\(problems)")
        #expect(problems.contains { $0.contains("request to http://127.0.0.1:9/nothing.png") }, "\(problems)")
    }

    @Test func everyPageShowsTheAPIsFiguresWithoutAConsoleError() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The samples processed under the shipped rules; then the service starts with Fnac's
        // budget raised, so that the database holds two rules versions to compare.
        try FileManager.default.copyItem(atPath: PartnerFiguresTests.rules, toPath: directory.path("rules"))
        let accepted = try PartnerFiguresTests.acceptedSamples(in: directory)
        #expect(try CashbackBinary.run(["enqueue", "--db", "cashback.sqlite", accepted], in: directory.url).status == 0)
        #expect(try CashbackBinary.run(["process", "--rules", "rules"], in: directory.url).status == 0)
        let fnacFile = directory.path("rules/partners/fnac.yaml")
        let fnacRules = try String(contentsOfFile: fnacFile, encoding: .utf8)
            .replacingOccurrences(of: "budget: 1000.00", with: "budget: 1200.00")
        try fnacRules.write(toFile: fnacFile, atomically: true, encoding: .utf8)
        try directory.write("token", Self.token)
        let service = try RunningService(in: directory, arguments: ["--rules", "rules", "--token-file", "token"])
        defer { _ = service.terminate() }
        let origin = "http://127.0.0.1:\(service.port)"
        let api = { (path: String) in try JSONParser.parse(try await service.request("GET", path, token: Self.token).body) }

        let browser = try HeadlessChromium()
        defer { browser.close() }
        let page = try await browser.newPage()
        let screenshots = ProcessInfo.processInfo.environment["CASHBACK_SCREENSHOTS"]
        let shoot = { (name: String) in
            guard let screenshots else { return }
            try await page.screenshot().write(to: URL(fileURLWithPath: screenshots).appendingPathComponent("\(name).png"))
        }

        // Signing in: the dashboard sends the browser to the sign-in form, then back.
        try await page.open("\(origin)/dashboard")
        #expect(try await page.text("location.pathname") == "/dashboard/login")
        try await shoot("sign-in")
        try await page.follow(
            """
            document.querySelector('input[name=token]').value = '\(Self.token)';
            document.querySelector('form').submit()
            """)
        #expect(try await page.text("location.pathname") == "/dashboard")

        // The overview: every partner's figures and budget, as the stats endpoint gives them.
        let partners = try #require(try await api("/v1/partners")["partners"]?.asArray)
        let fetched = Date()
        var expected: [String: JSONValue] = [:]
        for partner in partners {
            let id = try #require(partner["id"]?.asString)
            expected[id] = try await api("/v1/partners/\(id)/stats")
        }
        try await expectFigures(on: page, equal: expected, since: fetched)
        try await shoot("partners")
        let fnac = try #require(try await Self.figureRows("#figures", on: page).first { $0.key == "fnac EUR" }?.value)
        #expect(PartnerFiguresTests.fnac.map { fnac[$0.name] } == PartnerFiguresTests.fnac.map(\.value))
        let fnacBudget = try #require(try await Self.figureRows("#budgets", on: page)["fnac"])
        #expect(fnacBudget["total"] == "1200.00" && fnacBudget["used"] == "1000.00" && fnacBudget["left"] == "200.00")

        // Each partner's page: its figures, a column per day, the file of the rules in force.
        for partner in partners {
            let id = try #require(partner["id"]?.asString)
            try await page.open("\(origin)/dashboard/partners/\(id)")
            #expect(try await page.text("document.querySelector('h1').textContent") == partner["name"]?.asString)
            try await expectFigures(on: page, equal: [id: expected[id]!], since: fetched)
            let currencies = expected[id]?["currencies"]?.asArray?.count ?? 0
            let columns = try await page.evaluate("document.querySelectorAll('figure svg rect').length") as? Int
            #expect(columns == currencies * 60, "\(id): a column per day of the last 60, per currency")
            let file = try #require(try await page.text("document.querySelector('#rules-file').textContent"))
            let path = try #require(
                try await page.text("document.querySelector('h2:last-of-type code').textContent"))
            #expect(file == (try String(contentsOfFile: directory.path("rules/\(path)"), encoding: .utf8)))
            if id == "fnac" { try await shoot("partner") }
        }

        // Fnac's statement of this month, from its page's link: what `cashback statement` prints,
        // taken again if a line fell due between the two.
        try await page.open("\(origin)/dashboard/partners/fnac")
        #expect(try await page.evaluate("document.querySelectorAll('#statements li').length") as? Int == 12)
        try await page.follow("document.querySelector('#statements a').click()")
        let month = try #require(try await page.text("new URLSearchParams(location.search).get('month')"))
        var statement: JSONValue?
        for _ in 0..<3 {
            let before = try CashbackBinary.run(["statement", "--partner", "fnac", "--month", month], in: directory.url)
            let served = try await service.request(
                "GET", "/dashboard/partners/fnac/statement.json?month=\(month)", token: Self.token)
            let after = try CashbackBinary.run(["statement", "--partner", "fnac", "--month", month], in: directory.url)
            #expect(before.status == 0, "\(before.stderr)")
            guard before.stdout == after.stdout else { continue }
            #expect(served.body == before.stdout)
            statement = try JSONParser.parse(before.stdout)
            break
        }
        let net = try #require(statement?["currencies"]?.asArray?.first?["net"]?.asString, "a steady statement with a net")
        #expect(try await page.text("document.querySelector('h2[data-currency=EUR]').dataset.net") == net)
        try await shoot("statement")

        // The event lookup, typed in as a person would: the decision and its trace as the API gives them.
        let event = try Self.firstRewardedFnacPayment()
        let stored = try await api("/v1/events/\(event)")
        try await page.open("\(origin)/dashboard/events")
        try await page.follow(
            """
            document.querySelector('input[name=id]').value = '\(event)';
            document.querySelector('form[action="/dashboard/events"]').submit()
            """)
        #expect(try await page.text("document.querySelector('#status').dataset.status") == "processed")
        for member in ["event", "status", "partner", "currency", "cashback"] {
            let shown = try await page.text("document.querySelector('#decision [data-key=\(member)]').textContent")
            #expect(shown == stored["decision"]?[member]?.asString, "\(member)")
        }
        let traced =
            try await page.evaluate(
                "document.querySelectorAll('#trace td[data-key=rules] > table > tbody > tr').length - 1") as? Int
        #expect(traced == stored["decision"]?["trace"]?["rules"]?.asArray?.count, "a row per rule the trace considered")
        try await shoot("event")
        try await page.open("\(origin)/dashboard/events?id=no-such-event")
        #expect(try await page.text("document.querySelector('#status').dataset.status") == "none")

        // The rules versions, and the change between them.
        try await page.open("\(origin)/dashboard/rules")
        #expect(try await page.evaluate("document.querySelectorAll('#versions tr[data-version]').length") as? Int == 2)
        try await shoot("rules")
        try await page.follow("document.querySelector('#versions a').click()")
        let changed = try await page.text(
            "[...document.querySelectorAll('h2[data-file]')].map(h => h.dataset.file + ' ' + h.dataset.change).join()")
        #expect(changed == "partners/fnac.yaml changed")
        #expect(try await page.text("document.querySelector('pre.diff del').textContent")?.contains("budget: 1000.00") == true)
        #expect(try await page.text("document.querySelector('pre.diff ins').textContent")?.contains("budget: 1200.00") == true)
        try await shoot("rules-diff")

        #expect(page.problems(origin: origin) == [], "the console stays clean on every page")
    }

    /// `cashback report`'s page (of a diff, which has every section) opened from a file in a
    /// browser with the network off: it renders with no console error and no request, shows the
    /// samples' figures, and prints to PDF.
    @Test func theReportOpensOfflineAndPrints() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let rules = PartnerFiguresTests.rules
        let report = try CashbackBinary.run(
            ["report", "--rules", rules, "--base", rules, "--out", directory.path("report.html"), PartnerFiguresTests.samples])
        #expect(report.status == 0, "\(report.stderr)")
        let browser = try HeadlessChromium()
        defer { browser.close() }
        let page = try await browser.newPage()
        try await browser.call(
            "Network.emulateNetworkConditions",
            ["offline": true, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1], session: page.session)
        try await page.open(directory.url.appendingPathComponent("report.html").absoluteString)
        let fnac = try #require(try await Self.figureRows("#summary", on: page)["fnac EUR"])
        #expect(PartnerFiguresTests.fnac.map { fnac[$0.name] } == PartnerFiguresTests.fnac.map(\.value))
        let charts = try await page.evaluate("document.querySelectorAll('svg').length") as? Int ?? 0
        #expect(charts > 8, "a gauge per budget and a chart per partner")
        let pdf = try await browser.call("Page.printToPDF", [:], session: page.session)
        let printed = try #require((pdf["data"] as? String).flatMap { Data(base64Encoded: $0) })
        #expect(printed.starts(with: Data("%PDF".utf8)))
        #expect(page.problems(origin: "file://") == [])
    }

    /// Checks each partner's figure rows (per currency) and budget row on the page against its
    /// stats from the API, fetched at `fetched`: the projected run-out moves on with the clock
    /// between the two, by as long as passed since at most.
    private func expectFigures(on page: BrowserPage, equal stats: [String: JSONValue], since fetched: Date) async throws {
        let rows = try await Self.figureRows("#figures", on: page)
        let budgets = try await Self.figureRows("#budgets", on: page)
        var expectedRows = 0
        for (partner, stat) in stats {
            for currency in stat["currencies"]?.asArray ?? [] {
                let code = try #require(currency["currency"]?.asString)
                let shown = try #require(rows["\(partner) \(code)"], "a row for \(partner) in \(code)")
                expectedRows += 1
                for (name, value) in shown {
                    #expect(currency[name].flatMap(Self.text) == value, "\(partner) \(code) \(name)")
                }
            }
            if case .object(let budget)? = stat["budget"] {
                let shown = try #require(budgets[partner], "a budget row for \(partner)")
                #expect(shown.count == budget.count, "\(partner): every member of the budget")
                for (name, value) in budget where name != "projected_exhaustion" {
                    #expect(shown[name] == Self.text(value), "\(partner) budget \(name)")
                }
                let format = ISO8601DateFormatter()
                if let api = budget.last(where: { $0.key == "projected_exhaustion" })?.value.asString.flatMap(format.date) {
                    let page = try #require(shown["projected_exhaustion"].flatMap(format.date), "\(partner) runs out")
                    #expect(abs(page.timeIntervalSince(api)) <= Date().timeIntervalSince(fetched) + 1, "\(partner) runs out")
                } else {
                    #expect(shown["projected_exhaustion"] == "", "\(partner) does not run out")
                }
            } else {
                #expect(budgets[partner] == nil)
            }
        }
        #expect(rows.count == expectedRows)
    }

    /// The figures of a table's rows: by "partner currency" (or "partner" for budgets), by figure.
    static func figureRows(_ table: String, on page: BrowserPage) async throws -> [String: [String: String]] {
        let json = try #require(
            try await page.text(
                """
                JSON.stringify(Object.fromEntries([...document.querySelectorAll('\(table) tr[data-partner]')].map(row => [
                  row.dataset.partner + (row.dataset.currency ? ' ' + row.dataset.currency : ''),
                  Object.fromEntries([...row.querySelectorAll('[data-figure]')].map(cell =>
                    [cell.dataset.figure, cell.dataset.value ?? cell.textContent]))])))
                """))
        return try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: [String: String]])
    }

    /// A JSON value as the page writes it: numbers and strings as they are, `null` empty.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .number(let text): text
        case .null: ""
        default: nil
        }
    }

    /// The first rewarded Fnac payment of the samples.
    static func firstRewardedFnacPayment() throws -> String {
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--rules", PartnerFiguresTests.rules, "--format", "json", PartnerFiguresTests.samples])
        for line in dryRun.lines {
            let decision = try JSONParser.parse(line)
            if decision["partner"] == .string("fnac"), decision["status"] == .string("rewarded"),
                let event = decision["event"]?.asString
            {
                return event
            }
        }
        throw HeadlessChromium.Failure(description: "no rewarded Fnac payment in the samples")
    }
}
