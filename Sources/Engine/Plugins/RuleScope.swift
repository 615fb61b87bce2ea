/// Who owns a rule: a partner (its id) or the bank's programme.
public enum RuleScope: Hashable, Sendable, CustomStringConvertible {
    case program
    case partner(String)

    /// The partner id, `nil` for the programme.
    public var partnerID: String? {
        if case .partner(let id) = self { return id }
        return nil
    }

    /// `program` or the partner id: the first half of a rule's full name.
    public var description: String { partnerID ?? "program" }
}
