extension JSONValue {
    /// Compact JSON text, numbers exactly as they were written and members in order.
    public var jsonText: String {
        var text = ""
        append(to: &text)
        return text
    }

    private func append(to text: inout String) {
        switch self {
        case .object(let members):
            text += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { text += "," }
                JSONWriter.appendString(member.key, to: &text)
                text += ":"
                member.value.append(to: &text)
            }
            text += "}"
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                item.append(to: &text)
            }
            text += "]"
        case .string(let string): JSONWriter.appendString(string, to: &text)
        case .number(let number): text += number
        case .bool(let bool): text += bool ? "true" : "false"
        case .null: text += "null"
        }
    }
}
