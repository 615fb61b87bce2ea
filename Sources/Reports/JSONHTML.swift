import Engine

/// JSON shown as HTML tables, for people: an object is a table of its members, an array of
/// objects a table with a column per member, other values text. Each member's cell names it
/// (`data-key`), so a page can be checked against the JSON it shows.
package enum JSONHTML {
    package static func render(_ value: JSONValue) -> String {
        switch value {
        case .object(let members):
            var html = "<table>"
            for member in members {
                html += "<tr><th>\(HTMLText.escape(member.key))</th>"
                html += "<td data-key=\"\(HTMLText.escape(member.key))\">\(render(member.value))</td></tr>"
            }
            return html + "</table>"
        case .array(let items):
            guard !items.isEmpty else { return "<em>none</em>" }
            let objects = items.compactMap { item -> [(key: String, value: JSONValue)]? in
                if case .object(let members) = item { members } else { nil }
            }
            guard objects.count == items.count else { return items.map(render).joined(separator: ", ") }
            var keys: [String] = []
            for member in objects.flatMap({ $0 }) where !keys.contains(member.key) { keys.append(member.key) }
            var html = "<table><tr>" + keys.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"
            for members in objects {
                html += "<tr>"
                for key in keys {
                    let cell = members.last { $0.key == key }.map { render($0.value) } ?? ""
                    html += "<td data-key=\"\(HTMLText.escape(key))\">\(cell)</td>"
                }
                html += "</tr>"
            }
            return html + "</table>"
        case .string(let text), .number(let text): return HTMLText.escape(text)
        case .bool(let flag): return flag ? "yes" : "no"
        case .null: return "<em>none</em>"
        }
    }
}
