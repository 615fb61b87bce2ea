/// Fields of the CSV the commands print (RFC 4180): quoted only when they must be.
package enum CSVText {
    /// A field, quoted when it holds a comma, a quote or a line break (quotes doubled).
    package static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
