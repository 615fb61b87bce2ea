import Engine

/// The payment was made on a channel: `online` or `in_store` (a value or a list).
///
/// ```yaml
/// when:
///   - channel: online
/// ```
public struct ChannelCondition: ConditionPlugin {
    public static let kind = "channel"
    public static let summary = "payment channel is online or in_store (a value or a list)"
    public static let example = "channel: online"
    public static let configurationSchema: JSONValue = Schema.oneOrMany(Schema.choice(Merchant.Channel.allCases.map(\.rawValue)))

    let channels: Set<Merchant.Channel>

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        var channels = Set<Merchant.Channel>()
        for item in try configuration.list(allowingSingle: true) {
            channels.insert(try item.choice(Merchant.Channel.self, expected: "online | in_store"))
        }
        guard !channels.isEmpty else { throw configuration.error("expected online or in_store") }
        self.channels = channels
    }

    public func holds(for payment: Payment) -> Bool {
        guard let channel = payment.merchant.channel else { return false }
        return channels.contains(channel)
    }

    public func explainFailure(for payment: Payment) -> String {
        "channel is \(payment.merchant.channel?.rawValue ?? "unknown"); rule wants \(channels.map(\.rawValue).sorted().joined(separator: ", "))"
    }
}
