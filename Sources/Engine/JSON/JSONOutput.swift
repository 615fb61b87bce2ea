/// Where JSON is written, member by member in order: as text (`JSONWriter`) or as a value
/// (`JSONValueBuilder`). A `nil` key writes an array element (or the top-level value).
package protocol JSONOutput {
    mutating func beginObject(_ key: String?)
    mutating func endObject()
    mutating func beginArray(_ key: String?)
    mutating func endArray()
    mutating func string(_ key: String?, _ value: String)
    mutating func int(_ key: String?, _ value: Int)
    mutating func bool(_ key: String?, _ value: Bool)
    mutating func null(_ key: String?)
}

extension JSONOutput {
    package mutating func beginObject() { beginObject(nil) }
    package mutating func beginArray() { beginArray(nil) }

    package mutating func optionalString(_ key: String, _ value: String?) {
        if let value { string(key, value) } else { null(key) }
    }
}

/// Builds the `JSONValue` that `JSONWriter` would have written as text, for storing it without
/// writing and parsing text: its `jsonText` is what the writer gives for the same calls.
package struct JSONValueBuilder: JSONOutput {
    private enum Container {
        case object(key: String?, members: [(key: String, value: JSONValue)])
        case array(key: String?, items: [JSONValue])
    }

    private var open: [Container] = []
    /// The top-level value, once its container was closed.
    package private(set) var value: JSONValue?

    package init() {}

    package mutating func beginObject(_ key: String?) { open.append(.object(key: key, members: [])) }
    package mutating func beginArray(_ key: String?) { open.append(.array(key: key, items: [])) }

    package mutating func endObject() {
        guard case .object(let key, let members)? = open.popLast() else { return }
        add(key, .object(members))
    }

    package mutating func endArray() {
        guard case .array(let key, let items)? = open.popLast() else { return }
        add(key, .array(items))
    }

    package mutating func string(_ key: String?, _ value: String) { add(key, .string(value)) }
    package mutating func int(_ key: String?, _ value: Int) { add(key, .number(String(value))) }
    package mutating func bool(_ key: String?, _ value: Bool) { add(key, .bool(value)) }
    package mutating func null(_ key: String?) { add(key, .null) }

    private mutating func add(_ key: String?, _ element: JSONValue) {
        switch open.popLast() {
        case .object(let objectKey, var members)?:
            members.append((key ?? "", element))
            open.append(.object(key: objectKey, members: members))
        case .array(let arrayKey, var items)?:
            items.append(element)
            open.append(.array(key: arrayKey, items: items))
        case nil:
            value = element
        }
    }
}
