import Engine

/// The payment's local time of day is in `[from, until)`; `from > until` wraps midnight.
///
/// ```yaml
/// when:
///   - time: { from: "18:00", until: "22:00" }
/// ```
public struct TimeOfDayCondition: ConditionPlugin {
    public static let kind = "time"
    public static let summary = "local time of day in [from, until); from > until wraps midnight"
    public static let example = #"time: { from: "18:00", until: "22:00" }"#
    public static let configurationSchema: JSONValue = Schema.object(
        [("from", Schema.time), ("until", Schema.time)], required: ["from", "until"])

    let from: Int
    let until: Int
    let text: String

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        let fields = try configuration.mapping(allowed: ["from", "until"])
        let fromNode = try fields.required("from")
        let untilNode = try fields.required("until")
        from = try TimeOfDayCondition.seconds(fromNode)
        until = try TimeOfDayCondition.seconds(untilNode)
        guard from != until else { throw untilNode.error("from and until are equal; the window would be empty") }
        text = "\(try fromNode.string())–\(try untilNode.string())"
    }

    /// `HH:MM[:SS]`, hours 00–23, as seconds since midnight.
    static func seconds(_ node: ConfigNode) throws(ConfigError) -> Int {
        let text = try node.string(expected: "a time HH:MM or HH:MM:SS")
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let problem = node.error("'\(Echo.clipped(text))' is not a time HH:MM[:SS] (hours 00-23)")
        guard parts.count == 2 || parts.count == 3,
            parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) && $0.allSatisfy(\.isASCII) }),
            let hours = Int(parts[0]), let minutes = Int(parts[1]), hours <= 23, minutes <= 59,
            let seconds = parts.count == 3 ? Int(parts[2]) : 0, seconds <= 59
        else { throw problem }
        return hours * 3600 + minutes * 60 + seconds
    }

    public func holds(for payment: Payment) -> Bool {
        let second = payment.local.secondOfDay
        return from < until ? (second >= from && second < until) : (second >= from || second < until)
    }

    public func explainFailure(for payment: Payment) -> String {
        let second = payment.local.secondOfDay
        let local = [second / 3600, second / 60 % 60, second % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
        return "local time is \(local); rule wants \(text)"
    }
}
