import Engine

/// Reading parsed JSON in tests: the value as a string, an array or a whole number, if it is one.
extension JSONValue {
    var asString: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var asArray: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var asInt: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    var asDouble: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }
}
