import Engine

/// The first payment of this account at this partner (programme rules: anywhere); `false` negates.
///
/// ```yaml
/// when:
///   - first_purchase: true
/// ```
public struct FirstPurchaseCondition: ConditionPlugin {
    public static let kind = "first_purchase"
    public static let summary = "the account's first payment at this partner (program rules: anywhere); false negates"
    public static let example = "first_purchase: true"
    public static let configurationSchema: JSONValue = Schema.boolean

    let wanted: Bool

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        wanted = try configuration.bool()
    }

    public var readsPaymentCounts: Bool { true }

    public func holds(for payment: Payment) throws -> Bool { try payment.isFirstPurchase == wanted }

    public func explainFailure(for payment: Payment) throws -> String {
        let place = payment.scope.partnerID.map { "at \($0)" } ?? "anywhere"
        return try payment.isFirstPurchase
            ? "this is the account's first payment \(place); rule wants a later one"
            : "the account paid \(place) before; rule wants a first purchase"
    }
}
