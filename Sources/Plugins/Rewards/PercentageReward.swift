import Engine

/// A share of the payment amount, up to 4 decimals: `rate × amount`.
///
/// ```yaml
/// reward: { percentage: 5% }
/// ```
public struct PercentageReward: RewardPlugin {
    public static let kind = "percentage"
    public static let summary = "rate × amount; a string with up to 4 decimals, 0% < rate ≤ 100%"
    public static let example = "percentage: 5%"
    public static let configurationSchema: JSONValue = Schema.percentage

    let rate: Rate

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        rate = try configuration.rate()
    }

    public func reward(for payment: Payment) -> ExactAmount { rate.of(payment.amount) }
}
