/// One lint finding, printed `file:line:col: error: [partner/rule] message`.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it (rules directory joined with the relative path).
    public let file: String
    public let line: Int
    public let column: Int
    /// `partner/rule`, `partner` or `program`, when the problem belongs to one.
    public let context: String?
    public let message: String

    public init(file: String, line: Int, column: Int, context: String?, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.context = context
        self.message = message
    }

    public var description: String {
        "\(file):\(line):\(column): error: " + (context.map { "[\($0)] " } ?? "") + message
    }
}
