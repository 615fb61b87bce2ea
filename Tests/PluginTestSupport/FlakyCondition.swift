import Engine

/// A condition that fails (throws) on payments of exactly 6.66, as a plugin calling a service
/// that is down would: `when: [{ flaky: true }]`. Tests register it in their own registry.
public struct FlakyCondition: ConditionPlugin {
    public static let kind = "flaky"
    public static let summary = "fails on 6.66"
    public static let example = "flaky: true"
    public static let configurationSchema = Schema.boolean

    struct Unavailable: Error, CustomStringConvertible {
        var description: String { "lookup service unavailable" }
    }

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {}

    public func holds(for payment: Payment) throws -> Bool {
        if payment.amount == 666 { throw Unavailable() }
        return true
    }

    public func explainFailure(for payment: Payment) -> String { "" }
}
