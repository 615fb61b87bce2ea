import Engine
import Reports

/// `cashback report`'s page: one self-contained HTML file (inline style and SVG, no script, no
/// font, no link out) that opens offline and prints well.
struct HTMLReport {
    /// What the figures come from, in words.
    let source: String
    let rules: RuleSet
    let data: ReportData
    /// With `--base`: the comparison with the base rules.
    let comparison: RulesComparison?
    /// With `--db`: each budgeted partner's burn and projected exhaustion, by partner id.
    let forecasts: [String: BudgetForecast]

    func render() -> String {
        var body = "<h1>Cashback report</h1>\n<p>\(escape(source))</p>\n"
        if let comparison { body += differences(comparison) }
        body += summary() + budgets() + ruleSplit() + daily() + capped()
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Cashback report</title>
            <style>
            \(PageStyle.css)
            </style></head><body>
            \(body)</body></html>

            """
    }

    private func escape(_ text: String) -> String { HTMLText.escape(text) }

    private func money(_ units: Int128, _ currency: Currency) -> String { escape(currency.format(units)) }

    private func summary() -> String {
        var html = "<section id=summary><h2>Partners</h2>\n<table>\n<tr><th>Partner</th><th>Currency</th>"
        html += PartnerFiguresHTML.headings + "</tr>\n"
        for (key, figures) in data.figures.sorted {
            html += "<tr data-partner=\"\(escape(key.partner ?? "(none)"))\" data-currency=\"\(key.currency.code)\">"
            html += "<td>\(escape(key.partner ?? "(none)"))</td><td>\(key.currency.code)</td>"
            html += PartnerFiguresHTML.cells(figures, currency: key.currency) + "</tr>\n"
        }
        return html + "</table></section>\n"
    }

    private func budgets() -> String {
        let budgeted = rules.partners.filter { $0.budget != nil && $0.currency != nil }
        guard !budgeted.isEmpty else { return "" }
        var html = "<section id=budgets><h2>Budgets</h2>\n<table>\n"
        html += "<tr><th>Partner</th>" + BudgetHTML.headings(forecast: !forecasts.isEmpty) + "</tr>\n"
        for partner in budgeted {
            guard let budget = partner.budget, let currency = partner.currency else { continue }
            let used = data.figures.figures[PartnerFigureTable.Key(partner: partner.id, currency: currency)]?.budgetUsed ?? 0
            html += "<tr data-partner=\"\(escape(partner.id))\"><td>\(escape(partner.id))</td>"
            html += BudgetHTML.cells(total: Int128(budget), used: used, forecast: forecasts[partner.id], currency: currency)
            html += "</tr>\n"
        }
        return html + "</table></section>\n"
    }

    private func ruleSplit() -> String {
        var html = "<section id=rules><h2>Cashback per rule</h2>\n"
        for (code, amounts) in data.rules.sorted(by: { $0.key < $1.key }) {
            guard let currency = Currency(code: code) else { continue }
            let total = amounts.values.reduce(0, +)
            html += "<table>\n<tr><th>Rule (\(code))</th><th class=n>Net</th><th class=n>Share</th></tr>\n"
            for (rule, amount) in amounts.sorted(by: { $0.key < $1.key }) {
                let share = total == 0 ? "-" : DecimalAmount.format(amount * 10_000 / total, digits: 2) + "%"
                html += "<tr><td>\(escape(rule))</td><td class=n>\(money(amount, currency))</td><td class=n>\(share)</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html + "</section>\n"
    }

    private func daily() -> String {
        var html = "<section id=daily><h2>Cashback per day</h2>\n"
        for (key, days) in data.days.sorted(by: { $0.key < $1.key }) {
            guard let first = days.keys.min(), let last = days.keys.max() else { continue }
            var values: [(label: String, value: Int128)] = []
            var day = first
            while day <= last {
                values.append((day.description, days[day] ?? 0))
                day = day.adding(days: 1)
            }
            html += "<h3>\(escape(key.partner ?? "(none)")), \(key.currency.code), \(first) to \(last)</h3>\n"
            html += SVGChart.columns(values) { key.currency.format($0) } + "\n"
        }
        return html + "</section>\n"
    }

    private func capped() -> String {
        let accounts = data.mostCapped(10)
        guard !accounts.isEmpty else { return "" }
        var html = "<section id=capped><h2>Accounts a limit cut most often</h2>\n<table>\n"
        html += "<tr><th>Account</th><th class=n>Payments cut</th></tr>\n"
        for (account, times) in accounts {
            html += "<tr data-account=\"\(escape(account))\"><td>\(escape(account))</td><td class=n>\(times)</td></tr>\n"
        }
        return html + "</table></section>\n"
    }

    private func differences(_ comparison: RulesComparison) -> String {
        var html = "<section id=diff><h2>What the new rules change</h2>\n"
        let rows = comparison.sortedRows.filter { $0.delta != 0 }
        if rows.isEmpty {
            html += "<p>No partner's net cashback changes.</p>\n"
        } else {
            for (code, group) in Dictionary(grouping: rows, by: \.currency.code).sorted(by: { $0.key < $1.key }) {
                let currency = group[0].currency
                html += "<h3>Net cashback delta, \(code)</h3>\n"
                html += SVGChart.bars(group.map { ($0.partner ?? "(none)", $0.delta) }) { currency.format($0) } + "\n"
            }
        }
        html += "<p>\(comparison.changedCount) event\(comparison.changedCount == 1 ? "" : "s") changed.</p>\n"
        if !comparison.changes.isEmpty {
            html += "<table>\n<tr><th>Event</th><th>Base</th><th>New</th></tr>\n"
            for change in comparison.changes {
                let base = change.base.map(DiffReport.summary).joined(separator: " | ")
                let candidate = change.candidate.map(DiffReport.summary).joined(separator: " | ")
                html += "<tr><td>\(escape(change.eventID))</td><td>\(escape(base))</td><td>\(escape(candidate))</td></tr>\n"
            }
            html += "</table>\n"
        }
        return html + "</section>\n"
    }
}
