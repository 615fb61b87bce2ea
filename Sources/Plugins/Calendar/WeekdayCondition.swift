import Engine

/// The payment's local weekday is one of a list.
///
/// ```yaml
/// when:
///   - weekday: [sat, sun]
/// ```
public struct WeekdayCondition: ConditionPlugin {
    public static let kind = "weekday"
    public static let summary = "local weekday of occurred_at is one of the list"
    public static let example = "weekday: [sat, sun]"
    public static let configurationSchema: JSONValue = Schema.oneOrMany(Schema.choice(Weekday.allCases.map(\.rawValue)))

    let days: Set<Weekday>

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        var days = Set<Weekday>()
        for item in try configuration.list(allowingSingle: true) {
            days.insert(try item.choice(Weekday.self, expected: "mon, tue, wed, thu, fri, sat or sun"))
        }
        guard !days.isEmpty else { throw configuration.error("expected at least one weekday") }
        self.days = days
    }

    public func holds(for payment: Payment) -> Bool { days.contains(payment.local.weekday) }

    public func explainFailure(for payment: Payment) -> String {
        "weekday is \(payment.local.weekday.rawValue); rule wants \(days.sorted().map(\.rawValue).joined(separator: ", "))"
    }
}
