import Engine

/// The merchant's country is (or, with `not`, is not) in a list. An unknown country never holds.
///
/// ```yaml
/// when:
///   - country: { not: [FR] }
/// ```
public struct CountryCondition: ConditionPlugin {
    public static let kind = "country"
    public static let summary = "merchant country is in the list, or with { not: [...] } is known and not in it"
    public static let example = "country: { not: [FR] }"
    public static let configurationSchema: JSONValue = Schema.anyOf([
        Schema.oneOrMany(Schema.ref("country")),
        Schema.object([("not", Schema.oneOrMany(Schema.ref("country")))], required: ["not"]),
    ])

    let countries: Set<String>
    let negated: Bool

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        let list: ConfigNode
        if configuration.isMapping {
            list = try configuration.mapping(allowed: ["not"]).required("not")
            negated = true
        } else {
            list = configuration
            negated = false
        }
        var countries = Set<String>()
        for item in try list.list(allowingSingle: true) {
            let code = try item.string(expected: "a country code such as FR")
            guard code.utf8.count == 2, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
                throw item.error("'\(Echo.clipped(code))' is not a country code (two upper-case letters)")
            }
            countries.insert(code)
        }
        guard !countries.isEmpty else { throw list.error("expected at least one country") }
        self.countries = countries
    }

    public func holds(for payment: Payment) -> Bool {
        guard let country = payment.merchant.country else { return false }
        return countries.contains(country) != negated
    }

    public func explainFailure(for payment: Payment) -> String {
        let wanted = (negated ? "not " : "") + countries.sorted().joined(separator: ", ")
        return "country is \(payment.merchant.country ?? "unknown"); rule wants \(wanted)"
    }
}
