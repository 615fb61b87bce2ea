import Engine

/// The payment's partner: `none`, `any`, or one of a list of partner ids (for programme rules).
///
/// ```yaml
/// when:
///   - partner: none
/// ```
public struct PartnerCondition: ConditionPlugin {
    public static let kind = "partner"
    public static let summary = "the payment's partner: none, any, or one of a list of ids"
    public static let example = "partner: none"
    public static let configurationSchema: JSONValue = Schema.anyOf([
        Schema.choice(["none", "any"]), Schema.array(Schema.text(pattern: "^[a-z0-9-]+$")),
    ])

    enum Wanted: Equatable {
        case none, any
        case oneOf(Set<String>)
    }

    let wanted: Wanted

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        if configuration.isSequence {
            var ids = Set<String>()
            for item in try configuration.list() {
                let id = try item.string(expected: "a partner id")
                guard context.partnerIDs.contains(id) else { throw item.error("no partner file defines '\(Echo.clipped(id))'") }
                ids.insert(id)
            }
            guard !ids.isEmpty else { throw configuration.error("expected at least one partner id") }
            wanted = .oneOf(ids)
        } else {
            switch try configuration.string(expected: "none, any or a list of partner ids") {
            case "none": wanted = .none
            case "any": wanted = .any
            case let other: throw configuration.error("'\(Echo.clipped(other))': expected none, any or a list of partner ids")
            }
        }
    }

    public func holds(for payment: Payment) -> Bool {
        switch wanted {
        case .none: return payment.partner == nil
        case .any: return payment.partner != nil
        case .oneOf(let ids): return payment.partner.map(ids.contains) ?? false
        }
    }

    public func explainFailure(for payment: Payment) -> String {
        let wantedText: String
        switch wanted {
        case .none: wantedText = "none"
        case .any: wantedText = "any"
        case .oneOf(let ids): wantedText = ids.sorted().joined(separator: ", ")
        }
        return "partner is \(payment.partner ?? "none"); rule wants \(wantedText)"
    }
}
