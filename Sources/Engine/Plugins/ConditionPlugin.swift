/// A kind of `when:` condition: it reads its configuration once, then decides per payment.
///
/// A new kind is a module with one type conforming to this protocol, registered in one line of
/// `BuiltinPlugins`. See `docs/plugins.md`.
public protocol ConditionPlugin: Sendable {
    /// The YAML key that names the kind, e.g. `weekday`.
    static var kind: String { get }
    /// One line for `cashback plugins`.
    static var summary: String { get }
    /// A `when:` item showing the configuration, e.g. `weekday: [sat, sun]`.
    static var example: String { get }
    /// The JSON Schema of the configuration (the value under the kind's key), built with
    /// `Schema`; `cashback schema` assembles the rule files' schema from these.
    static var configurationSchema: JSONValue { get }

    /// Reads and validates the configuration; throws an error located at the offending node.
    init(configuration: ConfigNode, context: PluginContext) throws(ConfigError)

    /// Whether the payment meets the condition. A plugin that cannot decide (a lookup it needs
    /// failed) throws: the event is retried, then set aside as dead; nothing else stops.
    func holds(for payment: Payment) throws -> Bool

    /// Why the condition does not hold, in words: `weekday is wed; rule wants sat, sun`. It
    /// throws only what the payment's history reads throw.
    func explainFailure(for payment: Payment) throws -> String

    /// Whether it calls `Payment.earlierSpend(in:)`, so the scheduler hands the accounts' spend
    /// history to parallel evaluators (false by default).
    var readsSpendHistory: Bool { get }

    /// Whether it reads `Payment.earlierPaymentCount` or `isFirstPurchase`, so that a run of
    /// rules that never read them (`dry-run`, `diff`) need not count payments (false by
    /// default). A read that was not declared fails the event.
    var readsPaymentCounts: Bool { get }
}

/// A kind of `reward:`: it reads its configuration once, then computes an exact amount per payment.
public protocol RewardPlugin: Sendable {
    /// The YAML key that names the kind, e.g. `percentage`.
    static var kind: String { get }
    /// One line for `cashback plugins`.
    static var summary: String { get }
    /// A `reward:` value showing the configuration, e.g. `percentage: 5%`.
    static var example: String { get }
    /// The JSON Schema of the configuration (the value under the kind's key), built with
    /// `Schema`; `cashback schema` assembles the rule files' schema from these.
    static var configurationSchema: JSONValue { get }

    /// Reads and validates the configuration; throws an error located at the offending node.
    init(configuration: ConfigNode, context: PluginContext) throws(ConfigError)

    /// The exact reward before rounding, in minor units of the payment's currency. Throws, like
    /// a condition, when it cannot compute it.
    func reward(for payment: Payment) throws -> ExactAmount

    /// Whether it calls `Payment.earlierSpend(in:)`, so the scheduler hands the accounts' spend
    /// history to parallel evaluators (false by default).
    var readsSpendHistory: Bool { get }

    /// Whether it reads `Payment.earlierPaymentCount` or `isFirstPurchase`, so that a run of
    /// rules that never read them (`dry-run`, `diff`) need not count payments (false by
    /// default). A read that was not declared fails the event.
    var readsPaymentCounts: Bool { get }
}

extension ConditionPlugin {
    public var readsSpendHistory: Bool { false }
    public var readsPaymentCounts: Bool { false }
}

extension RewardPlugin {
    public var readsSpendHistory: Bool { false }
    public var readsPaymentCounts: Bool { false }
}
