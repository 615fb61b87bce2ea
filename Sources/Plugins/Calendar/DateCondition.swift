import Engine

/// The payment's local date is in `[from, until)`; either bound may be left out.
///
/// ```yaml
/// when:
///   - date: { from: 2026-12-01, until: 2026-12-25 }
/// ```
public struct DateCondition: ConditionPlugin {
    public static let kind = "date"
    public static let summary = "local date in [from, until); either bound may be omitted"
    public static let example = "date: { from: 2026-12-01, until: 2026-12-25 }"
    public static let configurationSchema: JSONValue = Schema.object([("from", Schema.date), ("until", Schema.date)])

    let from: CivilDate?
    let until: CivilDate?

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        let fields = try configuration.mapping(allowed: ["from", "until"])
        from = try fields["from"]?.date()
        until = try fields["until"]?.date()
        guard from != nil || until != nil else { throw configuration.error("expected from, until or both") }
        if let from, let until, until <= from {
            throw (fields["until"] ?? configuration).error("must be after from")
        }
    }

    public func holds(for payment: Payment) -> Bool {
        let date = payment.local.date
        if let from, date < from { return false }
        if let until, date >= until { return false }
        return true
    }

    public func explainFailure(for payment: Payment) -> String {
        "local date is \(payment.local.date); rule wants from \(from?.description ?? "any date") until \(until?.description ?? "any date")"
    }
}
