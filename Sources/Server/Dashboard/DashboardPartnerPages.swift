import Engine
import Foundation
import Hummingbird
import Reports
import Store

/// `/dashboard`: every partner's figures and budget; `/dashboard/partners/ID`: one partner's
/// figures, budget, daily chart and rules file.
struct DashboardPartnerPages {
    let store: any Storage
    let rules: RulesHolder
    let metrics: ServiceMetrics

    /// Days the partner page's chart shows.
    static let chartDays = 60

    /// `/dashboard`: every partner's figures, then the budgets with their forecasts.
    func overview() async throws -> DashboardPage {
        let ruleSet = rules.rules
        var figures: [(partner: Partner, stats: [PartnerStats])] = []
        var budgets: [(partner: Partner, standing: BudgetStanding)] = []
        for partner in ruleSet.partners {
            let stats = try await store.stats(ofPartner: partner.id)
            figures.append((partner, stats))
            if let standing = try await BudgetStanding.of(partner, stats: stats, now: WallClock.now, in: store) {
                budgets.append((partner, standing))
            }
        }
        var body = "<p>Rules version <code>\(HTMLText.escape(ruleSet.version))</code> in force; "
        body += "\(metrics.queueDepth) events waiting in the queue.</p>\n"
        body += "<h2>Figures</h2>\n" + DashboardFigures.table(figures)
        body += "<h2>Budgets</h2>\n" + DashboardFigures.budgets(budgets)
        body += "<h2>Partners</h2>\n<ul>\n"
        for partner in ruleSet.partners {
            body += "<li>\(DashboardFigures.link(partner)) (<code>\(HTMLText.escape(partner.id))</code>)</li>\n"
        }
        body += "</ul>\n"
        return DashboardPage(title: "Partners", body: body)
    }

    /// `/dashboard/partners/ID`: the partner's figures, budget, daily chart and rules file.
    func partner(_ id: String) async throws -> DashboardPage {
        let ruleSet = rules.rules
        guard let partner = ruleSet.partners.first(where: { $0.id == id }) else {
            throw APIError(status: .notFound, message: "no partner \(id) in the rules in force")
        }
        let now = WallClock.now
        let stats = try await store.stats(ofPartner: id)
        var body = "<p><code>\(HTMLText.escape(partner.id))</code>, in \(partner.currency?.code ?? "any currency"), "
        body += "time zone \(HTMLText.escape(partner.zone.description)).</p>\n"
        body += "<h2>Figures</h2>\n"
        body +=
            stats.isEmpty ? "<p>No payment of this partner has been processed.</p>\n" : DashboardFigures.table([(partner, stats)])
        if let standing = try await BudgetStanding.of(partner, stats: stats, now: now, in: store) {
            body += "<h2>Budget</h2>\n" + DashboardFigures.budgets([(partner, standing)])
        }
        let today = now.epochSeconds / 86_400
        let first = today - Int64(Self.chartDays) + 1
        for entry in stats {
            guard let currency = Currency(code: entry.currency) else { continue }
            let use = try await store.budgetUse(ofPartner: id, currency: currency.code, fromDay: first)
            let values = (first...today).map { day in
                (label: CivilDate(daysSinceEpoch: Int(day)).description, value: Int128(use[day] ?? 0))
            }
            body += "<h2>Cashback funded by \(HTMLText.escape(partner.name)) per day, \(currency.code)</h2>\n"
            body += "<p>By UTC day of processing, the last \(Self.chartDays) days, net of clawbacks.</p>\n"
            body += "<figure id=\"daily-\(currency.code)\">" + SVGChart.columns(values) { currency.format($0) }
            body += "</figure>\n"
        }
        body += statements(of: partner, now: now)
        body += "<h2>Rules file <code>\(HTMLText.escape(partner.relativePath))</code></h2>\n"
        if let file = try await store.rulesSnapshot(ruleSet.version)?.first(where: { $0.relativePath == partner.relativePath }) {
            body += "<pre id=rules-file>\(HTMLText.escape(file.text))</pre>\n"
        } else {
            body += "<p>The rules version in force has no recorded copy of this file.</p>\n"
        }
        return DashboardPage(title: partner.name, body: body)
    }

    /// Links to the partner's statements of the last 12 months of its time zone, this one first.
    private func statements(of partner: Partner, now: Timestamp) -> String {
        let today = partner.zone.localTime(now).date
        var html = "<h2>Statements</h2>\n<ul id=statements>\n"
        for back in 0..<12 {
            let index = today.year * 12 + today.month - 1 - back
            let month = String(format: "%04d-%02d", index / 12, index % 12 + 1)
            let path = { (file: String) in DashboardFigures.path(partner.id) + "/\(file)?month=\(month)" }
            html += "<li><a href=\"\(path("statement"))\">\(month)</a> (<a href=\"\(path("statement.csv"))\">CSV</a>, "
            html += "<a href=\"\(path("statement.json"))\">JSON</a>)</li>\n"
        }
        return html + "</ul>\n"
    }

    /// `/dashboard/partners/ID/statement?month=YYYY-MM`: the partner's statement of a month, as
    /// `cashback statement` gives it.
    func statementPage(_ id: String, month: String?) async throws -> DashboardPage {
        let statement = try await self.statement(id, month: month)
        return DashboardPage(title: StatementReport.title(statement), body: StatementReport.htmlBody(statement))
    }

    /// `/dashboard/partners/ID/statement.csv` (or `.json`) `?month=YYYY-MM`: the statement as a
    /// file to download.
    func statementFile(_ id: String, month: String?, as format: StatementReport.Format) async throws -> Response {
        let statement = try await self.statement(id, month: month)
        var headers = DashboardPage.headers
        headers[.contentType] = format == .csv ? "text/csv; charset=utf-8" : "application/json"
        headers[.contentDisposition] = "attachment; filename=\"\(id)-\(statement.monthText).\(format.rawValue)\""
        return Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: StatementReport.render(statement, as: format))))
    }

    /// The partner's statement of a month (YYYY-MM) of its time zone in the rules in force.
    private func statement(_ id: String, month text: String?) async throws -> PartnerStatement {
        guard let partner = rules.rules.partners.first(where: { $0.id == id }) else {
            throw APIError(status: .notFound, message: "no partner \(id) in the rules in force")
        }
        guard let text, let (year, month) = PartnerStatement.month(of: text),
            let statement = try await PartnerStatement.of(
                partner: id, year: year, month: month, zone: partner.zone, now: WallClock.now, in: store)
        else { throw APIError(status: .badRequest, message: "month: expected YYYY-MM", field: "month") }
        return statement
    }
}
