import Engine

/// A partner's monthly statement as `cashback statement` prints it and the dashboard serves it:
/// JSON, CSV or a self-contained HTML page (no script, no external file; it prints well).
package enum StatementReport {
    package enum Format: String, CaseIterable, Sendable {
        case json, csv, html
    }

    package static func render(_ statement: PartnerStatement, as format: Format) -> String {
        switch format {
        case .json: json(statement)
        case .csv: csv(statement)
        case .html: html(statement)
        }
    }

    package static func json(_ statement: PartnerStatement) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("partner", statement.partner)
        writer.string("month", statement.monthText)
        writer.string("timezone", statement.zone.identifier)
        writer.bool("closed", statement.isClosed)
        writer.beginArray("currencies")
        for section in statement.sortedSections {
            let money = { (units: Int) in section.currency.format(units) }
            writer.beginObject()
            writer.string("currency", section.currency.code)
            sums(section.total, into: &writer, money)
            writer.beginArray("rules")
            for (rule, ruleSums) in section.rules.sorted(by: { $0.key < $1.key }) {
                writer.beginObject()
                writer.string("rule", rule)
                sums(ruleSums, into: &writer, money)
                writer.endObject()
            }
            writer.endArray()
            writer.beginArray("days")
            for (day, daySums) in section.days.sorted(by: { $0.key < $1.key }) {
                writer.beginObject()
                writer.string("date", day.description)
                sums(daySums, into: &writer, money)
                writer.endObject()
            }
            writer.endArray()
            writer.endObject()
        }
        writer.endArray()
        writer.beginArray("rules_versions")
        for version in statement.rulesVersions { writer.string(nil, version) }
        writer.endArray()
        writer.endObject()
        return writer.text + "\n"
    }

    private static func sums(_ sums: PartnerStatement.Sums, into writer: inout JSONWriter, _ money: (Int) -> String) {
        writer.string("credits", money(sums.credits))
        writer.string("clawbacks", money(sums.clawbacks))
        writer.string("net", money(sums.net))
    }

    /// One row per currency total, rule and day: `kind,currency,key,credits,clawbacks,net`.
    package static func csv(_ statement: PartnerStatement) -> String {
        var lines = ["kind,currency,key,credits,clawbacks,net"]
        for section in statement.sortedSections {
            let row = { (kind: String, key: String, sums: PartnerStatement.Sums) in
                [
                    kind, section.currency.code, key, section.currency.format(sums.credits),
                    section.currency.format(sums.clawbacks), section.currency.format(sums.net),
                ]
                .map(CSVText.escape).joined(separator: ",")
            }
            lines.append(row("total", statement.monthText, section.total))
            for (rule, sums) in section.rules.sorted(by: { $0.key < $1.key }) { lines.append(row("rule", rule, sums)) }
            for (day, sums) in section.days.sorted(by: { $0.key < $1.key }) { lines.append(row("day", day.description, sums)) }
        }
        for version in statement.rulesVersions { lines.append("rules_version,,\(version),,,") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The statement's title.
    package static func title(_ statement: PartnerStatement) -> String {
        "Cashback statement: \(statement.partner), \(statement.monthText)"
    }

    /// The statement as a page of its own.
    package static func html(_ statement: PartnerStatement) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title(statement)))</title>
        <style>
        \(PageStyle.css)
        </style></head><body>
        <h1>\(HTMLText.escape(title(statement)))</h1>
        \(htmlBody(statement))</body></html>

        """
    }

    /// The statement's sections in HTML, for a page with its own heading: per currency the net
    /// amount due, a row per rule and a total, a row per day; then the rules versions.
    package static func htmlBody(_ statement: PartnerStatement) -> String {
        var body = "<p>Time zone \(HTMLText.escape(statement.zone.identifier)); "
        body += statement.isClosed ? "the month is closed.</p>\n" : "the month is not over: figures so far.</p>\n"
        if statement.sections.isEmpty { body += "<p>Nothing became payable in this month.</p>\n" }
        for section in statement.sortedSections {
            let money = { (units: Int) in HTMLText.escape(section.currency.format(units)) }
            let row = { (key: String, sums: PartnerStatement.Sums) in
                "<tr><td>\(HTMLText.escape(key))</td><td class=n>\(money(sums.credits))</td><td class=n>\(money(sums.clawbacks))</td>"
                    + "<td class=n>\(money(sums.net))</td></tr>\n"
            }
            let head = { (first: String) in
                "<tr><th>\(first)</th><th class=n>Credits</th><th class=n>Clawbacks</th><th class=n>Net</th></tr>\n"
            }
            body += "<h2 data-currency=\"\(section.currency.code)\" data-net=\"\(money(section.total.net))\">"
            body += "\(HTMLText.escape(section.currency.code)): net amount due \(money(section.total.net))</h2>\n"
            body += "<table>\n" + head("Rule")
            for (rule, sums) in section.rules.sorted(by: { $0.key < $1.key }) { body += row(rule, sums) }
            body += "<tr class=total><td>Total</td><td class=n>\(money(section.total.credits))</td>"
            body += "<td class=n>\(money(section.total.clawbacks))</td><td class=n>\(money(section.total.net))</td></tr>\n"
            body += "</table>\n<table>\n" + head("Day")
            for (day, sums) in section.days.sorted(by: { $0.key < $1.key }) { body += row(day.description, sums) }
            body += "</table>\n"
        }
        body += "<h2>Rules versions</h2>\n<ul>\n"
        body += statement.rulesVersions.map { "<li><code>\(HTMLText.escape($0))</code></li>\n" }.joined()
        return body + "</ul>\n"
    }
}
