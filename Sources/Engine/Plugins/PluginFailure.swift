/// A plugin threw while evaluating a payment: which rule and kind, and what it said.
public struct PluginFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// `partner/rule` or `program/rule`.
    public let rule: String
    public let kind: String
    public let message: String

    public init(rule: String, kind: String, message: String) {
        self.rule = rule
        self.kind = kind
        self.message = message
    }

    public var description: String { "[\(rule)] \(kind): \(message)" }
}
