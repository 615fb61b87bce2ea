import Engine

/// The payment was (with `true`) or was not (with `false`) made in a foreign currency:
/// `original_currency` present and different from `currency`.
///
/// ```yaml
/// when:
///   - foreign: true
/// ```
public struct ForeignCondition: ConditionPlugin {
    public static let kind = "foreign"
    public static let summary = "original_currency present and different from currency (true), or not (false)"
    public static let example = "foreign: true"
    public static let configurationSchema: JSONValue = Schema.boolean

    let wanted: Bool

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        wanted = try configuration.bool()
    }

    public func holds(for payment: Payment) -> Bool { payment.event.isForeign == wanted }

    public func explainFailure(for payment: Payment) -> String {
        "payment is \(payment.event.isForeign ? "" : "not ")foreign; rule wants foreign: \(wanted)"
    }
}
