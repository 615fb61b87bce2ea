/// Building blocks of the JSON Schema (draft 2020-12) of rule files, for plugins to describe
/// their configuration. Scalars accept both how YAML 1.2 editors type them and the text that
/// the engine reads by declared type (`0742` may arrive as a number or a string).
public enum Schema {
    /// A map with exactly these keys (`required` among them).
    public static func object(_ properties: [(String, JSONValue)], required: [String] = [], description: String? = nil)
        -> JSONValue
    {
        var members: [(key: String, value: JSONValue)] = [
            ("type", .string("object")), ("properties", .object(properties.map { (key: $0.0, value: $0.1) })),
            ("additionalProperties", .bool(false)),
        ]
        if !required.isEmpty { members.append(("required", .array(required.map(JSONValue.string)))) }
        if let description { members.insert(("description", .string(description)), at: 0) }
        return .object(members)
    }

    /// A list of `items`, at least `minimum` long.
    public static func array(_ items: JSONValue, minimum: Int = 1) -> JSONValue {
        .object([("type", .string("array")), ("items", items), ("minItems", .number(String(minimum)))])
    }

    /// A value or a list of values.
    public static func oneOrMany(_ item: JSONValue) -> JSONValue { .object([("anyOf", .array([item, array(item)]))]) }

    /// One of fixed words.
    public static func choice(_ words: [String]) -> JSONValue {
        .object([("type", .string("string")), ("enum", .array(words.map(JSONValue.string)))])
    }

    /// Text matching a regular expression; numbers too when `numbersToo` (a YAML editor may type them).
    public static func text(pattern: String, numbersToo: Bool = false) -> JSONValue {
        .object([
            ("type", numbersToo ? .array([.string("string"), .string("number")]) : .string("string")),
            ("pattern", .string(pattern)),
        ])
    }

    /// Any of the given schemas.
    public static func anyOf(_ schemas: [JSONValue]) -> JSONValue { .object([("anyOf", .array(schemas))]) }

    /// A reference to a shared definition (`money`, `percentage`, `date`, `time`, `count`,
    /// `boolean`, `country`, `mcc`, `period`, `limit`).
    public static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/$defs/\(name)"))]) }

    /// Money in the file's currency: `50.00`.
    public static var money: JSONValue { ref("money") }
    /// A percentage: `5%`, `1.2345%`.
    public static var percentage: JSONValue { ref("percentage") }
    /// A local date `YYYY-MM-DD`.
    public static var date: JSONValue { ref("date") }
    /// A local time `HH:MM[:SS]`.
    public static var time: JSONValue { ref("time") }
    /// `true` or `false`.
    public static var boolean: JSONValue { ref("boolean") }
    /// A whole number.
    public static var count: JSONValue { ref("count") }
    /// A calendar period.
    public static var period: JSONValue { ref("period") }

    /// The shared definitions the references point to.
    static var definitions: [(key: String, value: JSONValue)] {
        [
            ("money", text(pattern: "^[0-9]+(\\.[0-9]+)?$", numbersToo: true)),
            ("percentage", text(pattern: "^[0-9]+(\\.[0-9]{1,4})?%$")),
            ("date", text(pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")),
            ("time", text(pattern: "^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$")),
            ("boolean", .object([("enum", .array([.bool(true), .bool(false), .string("true"), .string("false")]))])),
            ("count", text(pattern: "^[0-9]+$", numbersToo: true)),
            ("country", text(pattern: "^[A-Z]{2}$")),
            ("mcc", text(pattern: "^[0-9]{4}(-[0-9]{4})?$", numbersToo: true)),
            ("period", choice(Period.allCases.map(\.rawValue))),
        ]
    }
}
