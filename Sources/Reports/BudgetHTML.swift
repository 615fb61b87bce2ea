import Engine

/// A partner's budget as table cells, the same in the report and the dashboard: total, used and
/// left with a gauge, then, when known, the burn and the projected run-out. Each cell names its
/// figure (`data-figure`) as the stats endpoint's `budget` object does.
package enum BudgetHTML {
    /// The heading cells, with the forecast's when `forecast`.
    package static func headings(forecast: Bool) -> String {
        var html = "<th class=n>Budget</th><th class=n>Used</th><th class=n>Left</th><th></th>"
        if forecast {
            html += "<th class=n>Burn, 7 days</th><th class=n>Burn, 30 days</th><th>Runs out (at the 7 days' pace)</th>"
        }
        return html
    }

    /// The cells of a budget of `total` of which `used` is used, in `currency`.
    package static func cells(total: Int128, used: Int128, forecast: BudgetForecast?, currency: Currency) -> String {
        func amount(_ name: String, _ units: Int128) -> String {
            "<td class=n data-figure=\(name)>\(HTMLText.escape(currency.format(units)))</td>"
        }
        var html = amount("total", total) + amount("used", used) + amount("left", max(0, total - used))
        html += "<td>\(SVGChart.gauge(used: used, total: total))</td>"
        if let forecast {
            html += amount("burn_7_days", forecast.burn7Days) + amount("burn_30_days", forecast.burn30Days)
            if let exhaustion = forecast.projectedExhaustion {
                html += "<td data-figure=projected_exhaustion data-value=\"\(exhaustion)\">"
                html += "<time datetime=\"\(exhaustion)\">\(exhaustion.description.prefix(10))</time></td>"
            } else {
                html += "<td data-figure=projected_exhaustion data-value=\"\">-</td>"
            }
        }
        return html
    }
}
