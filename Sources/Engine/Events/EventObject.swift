/// An event's JSON object as `EventParser` reads it, member by member: a parsed `JSONValue`, or
/// a `FlatEventJSON` read straight from the line's bytes.
protocol EventObject {
    /// The value of a member (the last one when a key repeats), `nil` when it is absent.
    func member(_ key: String) -> EventMember<Self>?
}

/// A member's value, as far as an event's fields care.
enum EventMember<Object> {
    case string(String)
    /// A number, exactly as written.
    case number(String)
    case object(Object)
    /// Any other value, by its kind's name for messages: `"an array"`, `"null"`.
    case other(kindDescription: String)

    /// A short name of the value's kind for error messages, as `JSONValue.kindDescription`.
    var kindDescription: String {
        switch self {
        case .string: "a string"
        case .number: "a number"
        case .object: "an object"
        case .other(let description): description
        }
    }
}

extension JSONValue: EventObject {
    func member(_ key: String) -> EventMember<JSONValue>? {
        guard let value = self[key] else { return nil }
        switch value {
        case .string(let text): return .string(text)
        case .number(let text): return .number(text)
        case .object: return .object(value)
        default: return .other(kindDescription: value.kindDescription)
        }
    }
}
