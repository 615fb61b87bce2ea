import Engine

/// Every Nth payment of the account at this partner (programme rules: anywhere): the Nth, 2Nth,
/// 3Nth… counting every payment processed so far, rewarded or not, refunded or not.
///
/// ```yaml
/// when:
///   - nth_purchase: { every: 5 }
/// ```
public struct NthPurchaseCondition: ConditionPlugin {
    public static let kind = "nth_purchase"
    public static let summary = "every Nth payment of the account at this partner (program rules: anywhere)"
    public static let example = "nth_purchase: { every: 5 }"
    public static let configurationSchema: JSONValue = Schema.object([("every", Schema.count)], required: ["every"])

    /// N, at least 2.
    let every: Int

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        let fields = try configuration.mapping(allowed: ["every"])
        let node = try fields.required("every")
        every = try node.count()
        guard every >= 2 else { throw node.error("must be at least 2, got \(every)") }
    }

    public var readsPaymentCounts: Bool { true }

    public func holds(for payment: Payment) throws -> Bool { try (payment.earlierPaymentCount + 1) % every == 0 }

    public func explainFailure(for payment: Payment) throws -> String {
        let place = payment.scope.partnerID.map { "at \($0)" } ?? "anywhere"
        let position = NthPurchaseCondition.ordinal(try payment.earlierPaymentCount + 1)
        return "this is the account's \(position) payment \(place); rule wants every \(NthPurchaseCondition.ordinal(every))"
    }

    /// `1st`, `2nd`, `3rd`, `4th`… `11th`, `12th`, `13th`… `21st`.
    static func ordinal(_ number: Int) -> String {
        let suffix: String
        switch (number % 10, number % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(number)\(suffix)"
    }
}
