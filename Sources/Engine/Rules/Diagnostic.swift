/// One lint finding, printed `file:line:col: error: [partner/rule] message` (or `warning:`).
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    /// An error makes the rules invalid; a warning is printed and the rules load.
    public enum Severity: String, Sendable {
        case error, warning
    }

    /// The file as the user named it (rules directory joined with the relative path).
    public let file: String
    public let line: Int
    public let column: Int
    /// `partner/rule`, `partner` or `program`, when the problem belongs to one.
    public let context: String?
    public let message: String
    public let severity: Severity

    public init(file: String, line: Int, column: Int, context: String?, message: String, severity: Severity = .error) {
        self.file = file
        self.line = line
        self.column = column
        self.context = context
        self.message = message
        self.severity = severity
    }

    public var description: String {
        "\(file):\(line):\(column): \(severity.rawValue): " + (context.map { "[\($0)] " } ?? "") + message
    }
}
