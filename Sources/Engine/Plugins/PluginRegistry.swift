/// The plugin kinds a rules directory may use. A value, built by the executable (or a test) and
/// passed down: there is no global registry.
public struct PluginRegistry: Sendable {
    public private(set) var conditions: [String: any ConditionPlugin.Type] = [:]
    public private(set) var rewards: [String: any RewardPlugin.Type] = [:]

    public init() {}

    /// Adds a condition kind; a kind registered twice is a programming error.
    public mutating func register(_ plugin: any ConditionPlugin.Type) {
        precondition(conditions[plugin.kind] == nil && rewards[plugin.kind] == nil, "plugin kind \(plugin.kind) registered twice")
        conditions[plugin.kind] = plugin
    }

    /// Adds a reward kind; a kind registered twice is a programming error.
    public mutating func register(_ plugin: any RewardPlugin.Type) {
        precondition(conditions[plugin.kind] == nil && rewards[plugin.kind] == nil, "plugin kind \(plugin.kind) registered twice")
        rewards[plugin.kind] = plugin
    }

    /// Every kind, sorted, for suggestions and listings.
    public var allKinds: [String] { (Array(conditions.keys) + Array(rewards.keys)).sorted() }
}
