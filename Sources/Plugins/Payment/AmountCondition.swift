import Engine

/// The payment amount is within bounds, both inclusive, either optional.
///
/// ```yaml
/// when:
///   - amount: { min: 50.00, max: 500.00 }
/// ```
public struct AmountCondition: ConditionPlugin {
    public static let kind = "amount"
    public static let summary = "payment amount within [min, max], both inclusive, either optional"
    public static let example = "amount: { min: 50.00, max: 500.00 }"
    public static let configurationSchema: JSONValue = Schema.object([("min", Schema.money), ("max", Schema.money)])

    let min: Int?
    let max: Int?
    let currency: Currency?

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        let fields = try configuration.mapping(allowed: ["min", "max"])
        min = try fields["min"]?.money(context.currency)
        let maxNode = fields["max"]
        max = try maxNode?.money(context.currency)
        currency = context.currency
        guard min != nil || max != nil else { throw configuration.error("expected min, max or both") }
        if let min, let max, min > max { throw (maxNode ?? configuration).error("max is below min") }
    }

    public func holds(for payment: Payment) -> Bool {
        if let min, payment.amount < min { return false }
        if let max, payment.amount > max { return false }
        return true
    }

    public func explainFailure(for payment: Payment) -> String {
        let bounds = [min.map { "min \(payment.currency.format($0))" }, max.map { "max \(payment.currency.format($0))" }]
            .compactMap { $0 }.joined(separator: ", ")
        return "amount is \(payment.currency.format(payment.amount)); rule wants \(bounds)"
    }
}
