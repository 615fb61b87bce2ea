/// Applies events to an evaluation state one at a time, in queue order: the sequential semantics
/// of SPEC §4 that every other way of processing must reproduce exactly.
public struct Evaluator: Sendable {
    public let rules: RuleSet
    /// Whether decisions carry a `Trace`.
    public let explain: Bool

    public init(rules: RuleSet, explain: Bool = false) {
        self.rules = rules
        self.explain = explain
    }

    /// Processes one input and returns its decision, followed by the decisions of any orphans
    /// it released (marked `deferred`). When a plugin fails it throws, and nothing has changed.
    ///
    /// `precomputed` may supply a payment's assessment made ahead of time (in parallel, by the
    /// scheduler); it is asked only for payments that are new, and answers `nil` to have the
    /// assessment made here against `state`.
    public func process(
        _ input: EventInput, state: some EvaluationState, precomputed: ((Event) -> PaymentAssessment?)? = nil
    ) throws(PluginFailure) -> [Decision] {
        switch input {
        case .invalid(let error, let origin):
            return [Decision(status: .invalid, eventID: error.eventID, kind: nil, account: nil, error: error.description, origin: origin)]
        case .event(let event, let origin):
            if let seen = state.seenEvent(event.id) {
                let identical = seen.fingerprint == event.fingerprint
                return [
                    Decision(
                        status: identical ? .duplicate : .conflict, eventID: event.id, kind: event.kind,
                        account: event.account, error: identical ? nil : "id \(event.id) was seen with other content",
                        origin: origin)
                ]
            }
            switch event.kind {
            case .payment:
                return try processPayment(event, origin: origin, state: state, precomputed: precomputed)
            case .refund, .reversal:
                return [processClawback(event, origin: origin, deferred: false, state: state)]
            }
        }
    }
}
