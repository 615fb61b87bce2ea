/// Applies events to an evaluation state one at a time, in queue order: the sequential semantics
/// of SPEC §4 that every other way of processing must reproduce exactly.
public struct Evaluator: Sendable {
    public let rules: RuleSet
    /// Whether decisions carry a `Trace`.
    public let explain: Bool
    /// Each partner's attribution as traces say it, in the order of `rules.partners`: written
    /// once, not for every payment.
    let attributions: [String]

    public init(rules: RuleSet, explain: Bool = false) {
        self.rules = rules
        self.explain = explain
        attributions = rules.partners.map { "partner \($0.id) (\($0.relativePath))" }
    }

    /// Processes one input and returns its decision, followed by the decisions of any orphans
    /// it released (marked `deferred`).
    ///
    /// When a plugin fails it throws `.plugin`, and nothing has changed. When `state` fails it
    /// throws `.state` with the state's error, at once: the state may then be half-changed,
    /// and the caller must keep nothing of it (the service rolls the batch back).
    ///
    /// `precomputed` may supply a payment's assessment made ahead of time (in parallel, by the
    /// scheduler); it is asked only for payments that are new, and answers `nil` to have the
    /// assessment made here against `state`.
    public func process(
        _ input: EventInput, state: some EvaluationState, precomputed: ((Event.Payment) -> PaymentAssessment?)? = nil
    ) throws(EvaluationError) -> SmallArray<Decision> {
        do {
            return try decide(input, state: state, precomputed: precomputed)
        } catch let error as EvaluationError {
            throw error
        } catch {
            // Plugin failures are thrown as `EvaluationError.plugin` where they happen: any other
            // error came from the state.
            throw .state(error)
        }
    }

    private func decide(
        _ input: EventInput, state: some EvaluationState, precomputed: ((Event.Payment) -> PaymentAssessment?)?
    ) throws -> SmallArray<Decision> {
        switch input {
        case .invalid(let error, let origin):
            return SmallArray(Decision(invalid: error, origin: origin))
        case .event(let event, let origin):
            if let seen = try state.seenEvent(event.id) {
                let identical = seen.fingerprint == event.fingerprint
                let outcome: Decision.Outcome =
                    identical ? .duplicate : .conflict(error: "id \(event.id) was seen with other content")
                return SmallArray(Decision(event: event, account: event.account, outcome: outcome, origin: origin))
            }
            switch event {
            case .payment(let payment):
                return try processPayment(payment, origin: origin, state: state, precomputed: precomputed)
            case .refund(let refund):
                return SmallArray(try processClawback(.refund(refund), origin: origin, deferred: false, state: state))
            case .reversal(let reversal):
                return SmallArray(try processClawback(.reversal(reversal), origin: origin, deferred: false, state: state))
            }
        }
    }
}
