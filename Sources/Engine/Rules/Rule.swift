/// One rule: conditions that must all hold, a reward, and the limits that cap its line.
public struct Rule: Sendable {
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
}
