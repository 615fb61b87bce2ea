import Foundation
import Logging

/// How logs are written on standard error: `text` (swift-log's stream format, the default) or
/// `json` (one object per line). Chosen with `--log-format FORMAT` before or after the
/// subcommand, or `CASHBACK_LOG_FORMAT`; the level with `CASHBACK_LOG_LEVEL` (default notice).
enum LogFormat: String {
    case text, json

    /// Takes `--log-format X` or `--log-format=X` out of `arguments`; the format named there or
    /// in the environment; `nil` when the value is not a format.
    static func extract(from arguments: inout [String], environment: [String: String]) -> LogFormat? {
        var named = environment["CASHBACK_LOG_FORMAT"]
        var index = 0
        while index < arguments.count {
            if arguments[index] == "--log-format", index + 1 < arguments.count {
                named = arguments[index + 1]
                arguments.removeSubrange(index...(index + 1))
            } else if arguments[index].hasPrefix("--log-format=") {
                named = String(arguments[index].dropFirst("--log-format=".count))
                arguments.remove(at: index)
            } else {
                index += 1
            }
        }
        return named.map { LogFormat(rawValue: $0) } ?? .text
    }

    /// Makes this the format of every logger (the executable does it once, before anything logs).
    func bootstrap(level: Logger.Level) {
        switch self {
        case .text:
            LoggingSystem.bootstrap { label in TextLogHandler(label: label, logLevel: level) }
        case .json:
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: level) }
        }
    }
}
