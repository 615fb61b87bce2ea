import Yams

/// A value of a rule file, read strictly and by its declared type: `NO` read as a country is
/// Norway, `18:00` read as a time is a time, `0742` read as an MCC keeps its zero, whatever
/// YAML 1.1 would say. Every error it throws carries the node's line, column and key path.
public struct ConfigNode {
    let node: Node
    /// The key path from the root this reader was handed, e.g. `tiers[1].from`.
    public let path: String

    init(_ node: Node, path: String = "") {
        self.node = node
        self.path = path
    }

    /// 1-based line of the node.
    public var line: Int { node.mark?.line ?? 1 }
    /// 1-based column of the node.
    public var column: Int { node.mark?.column ?? 1 }

    /// An error located at this node.
    public func error(_ message: String) -> ConfigError {
        ConfigError(line: line, column: column, path: path, message: message)
    }

    private func child(_ node: Node, key: String) -> ConfigNode {
        ConfigNode(node, path: path.isEmpty ? key : "\(path).\(key)")
    }

    /// `true` for an empty plain scalar, `~` or `null`: a key written with no value.
    public var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null"
    }

    /// The node is a sequence.
    public var isSequence: Bool {
        if case .sequence = node { return true }
        return false
    }

    /// The node is a mapping.
    public var isMapping: Bool {
        if case .mapping = node { return true }
        return false
    }

    /// A short description of what the node is, for messages.
    public var kindDescription: String {
        switch node {
        case .scalar(let scalar): return "'\(Echo.clipped(scalar.string))'"
        case .sequence: return "a list"
        case .mapping: return "a map"
        case .alias: return "an alias"
        }
    }

    /// What was written, for "expected …, got …" messages: `nothing` for a missing value.
    private var found: String { isNull ? "nothing" : kindDescription }

    /// The scalar's text, as written.
    public func string(expected: String = "a text value") throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull else {
            throw error("expected \(expected), got \(found)")
        }
        return scalar.string
    }

    /// The elements of a sequence; with `allowingSingle`, a lone scalar counts as a list of one.
    public func list(allowingSingle: Bool = false) throws(ConfigError) -> [ConfigNode] {
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { ConfigNode($0.element, path: "\(path)[\($0.offset)]") }
        case .scalar where allowingSingle && !isNull:
            return [self]
        default:
            throw error("expected a list, got \(found)")
        }
    }

    /// The members of a mapping whose keys must all be in `allowed`; an unknown key is an error
    /// that suggests the nearest allowed one. With `onUnknownKey`, unknown keys are reported
    /// there and skipped, so that a reader can go on and find the other problems.
    public func mapping(allowed: [String], onUnknownKey: ((ConfigError) -> Void)? = nil) throws(ConfigError) -> ConfigMapping {
        guard case .mapping(let mapping) = node else {
            throw error("expected a map with keys \(allowed.joined(separator: ", ")), got \(found)")
        }
        var members: [(key: String, keyNode: ConfigNode, value: ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            let keyReader = ConfigNode(keyNode, path: path)
            guard case .scalar(let scalar) = keyNode else { throw keyReader.error("expected a text key") }
            let key = scalar.string
            guard allowed.contains(key) else {
                let hint = Suggestion.nearest(to: key, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
                let problem = keyReader.error(
                    "unknown key '\(Echo.clipped(key))'\(hint) (expected one of: \(allowed.joined(separator: ", ")))")
                guard let onUnknownKey else { throw problem }
                onUnknownKey(problem)
                continue
            }
            guard !members.contains(where: { $0.key == key }) else {
                throw keyReader.error("duplicate key '\(Echo.clipped(key))'")
            }
            members.append((key, keyReader, child(valueNode, key: key)))
        }
        return ConfigMapping(node: self, members: members)
    }

    /// A one-key map `{ kind: value }`, as each `when:` item and each `reward:` is.
    public func singleKeyMapping() throws(ConfigError) -> (key: String, keyNode: ConfigNode, value: ConfigNode) {
        guard case .mapping(let mapping) = node, mapping.count == 1, let (keyNode, valueNode) = mapping.first,
            case .scalar(let scalar) = keyNode
        else { throw error("expected a one-key map { kind: configuration }, got \(found)") }
        return (scalar.string, ConfigNode(keyNode, path: path), ConfigNode(valueNode, path: ""))
    }

    /// Money in minor units of `currency`: `50.00`, no more fraction digits than it has.
    public func money(_ currency: Currency?) throws(ConfigError) -> Int {
        let text = try string(expected: "an amount")
        guard let currency else {
            throw error("money amount '\(Echo.clipped(text))' in a file with `currency: any`; set the file's currency")
        }
        switch currency.minorUnits(text) {
        case .success(let units): return units
        case .failure(.notDecimal): throw error("'\(Echo.clipped(text))' is not an amount (digits[.digits])")
        case .failure(.tooManyFractionDigits(let allowed)):
            throw error("'\(Echo.clipped(text))' has more fraction digits than \(currency.code) allows (\(allowed))")
        case .failure(.tooLarge): throw error("'\(Echo.clipped(text))' exceeds 10^12 minor units")
        }
    }

    /// A percentage `digits[.1–4 digits]%`, more than 0% and at most 100%.
    public func rate() throws(ConfigError) -> Rate {
        let text = try string(expected: "a percentage such as '5%'")
        guard let rate = Rate(percentText: text) else {
            let hint =
                text.allSatisfy(\.isASCIIDigit) && Rate(percentText: text + "%") != nil
                ? "; write it with a percent sign: '\(Echo.clipped(text))%'" : ""
            throw error("'\(Echo.clipped(text))' is not a percentage (digits with up to 4 decimals, then %)\(hint)")
        }
        guard rate.millionths > 0 else { throw error("'\(Echo.clipped(text))' must be more than 0%") }
        guard rate <= .whole else { throw error("'\(Echo.clipped(text))' must be at most 100%") }
        return rate
    }

    /// `true` or `false`.
    public func bool() throws(ConfigError) -> Bool {
        let text = try string(expected: "true or false")
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw error("expected true or false, got '\(Echo.clipped(text))'")
        }
    }

    /// A whole number ≥ 0.
    public func count() throws(ConfigError) -> Int {
        let text = try string(expected: "a whole number")
        guard !text.isEmpty, text.count <= 12, text.allSatisfy(\.isASCIIDigit), let value = Int(text) else {
            throw error("expected a whole number, got '\(Echo.clipped(text))'")
        }
        return value
    }

    /// A local date `YYYY-MM-DD`.
    public func date() throws(ConfigError) -> CivilDate {
        let text = try string(expected: "a date YYYY-MM-DD")
        guard let date = CivilDate(iso: text) else {
            throw error(
                "'\(Echo.clipped(text))' is not a date YYYY-MM-DD" + (CivilDate.whyNot(iso: text).map { ": \($0)" } ?? ""))
        }
        return date
    }

    /// One of a fixed set of words.
    public func choice<Choice: RawRepresentable>(_ type: Choice.Type, expected: String) throws(ConfigError) -> Choice
    where Choice.RawValue == String {
        let text = try string(expected: expected)
        guard let value = Choice(rawValue: text) else { throw error("'\(Echo.clipped(text))': expected \(expected)") }
        return value
    }
}

/// The members of a strictly read mapping.
public struct ConfigMapping {
    /// The mapping itself, for errors about missing keys.
    public let node: ConfigNode
    let members: [(key: String, keyNode: ConfigNode, value: ConfigNode)]

    /// The value of `key`, if written (an explicit null counts as absent).
    public subscript(key: String) -> ConfigNode? {
        guard let value = members.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    /// The value of a key that must be there.
    public func required(_ key: String) throws(ConfigError) -> ConfigNode {
        guard let value = self[key] else { throw node.error("missing required key '\(key)'") }
        return value
    }

    /// The node of a key itself (for errors about the key).
    public func keyNode(_ key: String) -> ConfigNode? { members.first(where: { $0.key == key })?.keyNode }

    /// The keys, in the order written.
    public var keys: [String] { members.map(\.key) }
}
