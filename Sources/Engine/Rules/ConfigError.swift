/// A problem in a rule file's value, at the place it was written.
public struct ConfigError: Error, Sendable, Equatable {
    /// 1-based line and column of the offending YAML node.
    public let line: Int
    public let column: Int
    /// Key path from the plugin's (or section's) value, e.g. `tiers[1].from`; empty at its root.
    public let path: String
    public let message: String

    public init(line: Int, column: Int, path: String, message: String) {
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }
}
