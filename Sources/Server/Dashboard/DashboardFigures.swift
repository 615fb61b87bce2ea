import Engine
import Foundation
import Reports
import Store

/// The tables the dashboard's overview and partner pages share: partner figures per currency,
/// and budgets with their gauge and forecast.
enum DashboardFigures {
    /// A row per partner and currency that has figures; each row names them (`data-partner`,
    /// `data-currency`) and links to the partner's page.
    static func table(_ rows: [(partner: Partner, stats: [PartnerStats])]) -> String {
        var html = "<table id=figures>\n<tr><th>Partner</th><th>Currency</th>\(PartnerFiguresHTML.headings)</tr>\n"
        for (partner, stats) in rows {
            for entry in stats {
                guard let currency = Currency(code: entry.currency) else { continue }
                html += "<tr data-partner=\"\(HTMLText.escape(partner.id))\" data-currency=\"\(currency.code)\">"
                html += "<td>\(link(partner))</td><td>\(currency.code)</td>"
                html += PartnerFiguresHTML.cells(entry.figures, currency: currency) + "</tr>\n"
            }
        }
        return html + "</table>\n"
    }

    /// A row per budgeted partner: total, used, left, gauge, burn and run-out.
    static func budgets(_ rows: [(partner: Partner, standing: BudgetStanding)]) -> String {
        guard !rows.isEmpty else { return "<p>No partner has a budget.</p>\n" }
        var html = "<table id=budgets>\n<tr><th>Partner</th>\(BudgetHTML.headings(forecast: true))</tr>\n"
        for (partner, standing) in rows {
            html += "<tr data-partner=\"\(HTMLText.escape(partner.id))\"><td>\(link(partner))</td>"
            html += BudgetHTML.cells(
                total: standing.total, used: standing.used, forecast: standing.forecast, currency: standing.currency)
            html += "</tr>\n"
        }
        return html + "</table>\n"
    }

    /// A link to the partner's page, with its name.
    static func link(_ partner: Partner) -> String {
        "<a href=\"\(path(partner.id))\">\(HTMLText.escape(partner.name))</a>"
    }

    /// The path of a partner's page.
    static func path(_ partner: String) -> String {
        "/dashboard/partners/" + (partner.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }
}
