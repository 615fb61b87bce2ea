import Engine

/// The merchant category code is one of a list of codes or inclusive ranges.
///
/// ```yaml
/// when:
///   - mcc: ["5411", "5812-5814"]
/// ```
public struct MCCCondition: ConditionPlugin {
    public static let kind = "mcc"
    public static let summary = "merchant category code is one of the codes or inclusive ranges"
    public static let example = #"mcc: ["5411", "5812-5814"]"#
    public static let configurationSchema: JSONValue = Schema.oneOrMany(Schema.ref("mcc"))

    let ranges: [ClosedRange<Int>]
    let text: String

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        var ranges: [ClosedRange<Int>] = []
        var texts: [String] = []
        for item in try configuration.list(allowingSingle: true) {
            let value = try item.string(expected: "an MCC such as \"5411\" or a range \"5812-5814\"")
            let bounds = value.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(bounds.count), bounds.allSatisfy(MCCCondition.isCode),
                let low = bounds.first.flatMap({ Int($0) }), let high = bounds.last.flatMap({ Int($0) })
            else {
                throw item.error("'\(Echo.clipped(value))' is not an MCC (4 digits) or a range of two")
            }
            guard low <= high else { throw item.error("range '\(value)' runs backwards") }
            ranges.append(low...high)
            texts.append(value)
        }
        guard !ranges.isEmpty else { throw configuration.error("expected at least one MCC") }
        self.ranges = ranges
        self.text = texts.joined(separator: ", ")
    }

    static func isCode(_ text: String) -> Bool { text.utf8.count == 4 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }

    public func holds(for payment: Payment) -> Bool {
        guard let mcc = payment.merchant.mcc, let code = Int(mcc) else { return false }
        return ranges.contains { $0.contains(code) }
    }

    public func explainFailure(for payment: Payment) -> String {
        "mcc is \(payment.merchant.mcc ?? "unknown"); rule wants \(text)"
    }
}
