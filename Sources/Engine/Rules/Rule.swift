/// One rule: conditions that must all hold, a reward, and the limits that cap its line.
///
/// A class, immutable once loaded, for the reason `Partner` is one.
public final class Rule: Sendable {
    /// A configured condition and the kind it was written as.
    public struct Condition: Sendable {
        public let kind: String
        public let plugin: any ConditionPlugin
    }

    /// The id within its file.
    public let id: String
    /// `partner/rule` or `program/rule`, as lines are named.
    public let name: String
    public let conditions: [Condition]
    public let rewardKind: String
    public let reward: any RewardPlugin
    public let limits: [Limit]

    init(id: String, name: String, conditions: [Condition], rewardKind: String, reward: any RewardPlugin, limits: [Limit]) {
        self.id = id
        self.name = name
        self.conditions = conditions
        self.rewardKind = rewardKind
        self.reward = reward
        self.limits = limits
    }
}
