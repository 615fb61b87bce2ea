import Engine

/// A fixed amount in the file's currency.
///
/// ```yaml
/// reward: { flat: 2.00 }
/// ```
public struct FlatReward: RewardPlugin {
    public static let kind = "flat"
    public static let summary = "a fixed amount in the file's currency"
    public static let example = "flat: 2.00"
    public static let configurationSchema: JSONValue = Schema.money

    let amount: Int

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        amount = try configuration.money(context.currency)
        guard amount > 0 else { throw configuration.error("must be more than 0") }
    }

    public func reward(for payment: Payment) -> ExactAmount { ExactAmount(minorUnits: amount) }
}
