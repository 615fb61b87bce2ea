/// What the rules say about a payment before any limit: its partner and, for each rule
/// considered, whether it matched and its rounded reward.
///
/// It depends only on the payment, the rules and the account's own history, never on limit
/// usage or other accounts, so the scheduler assesses accounts in parallel and applies the
/// limits in queue order afterwards.
public struct PaymentAssessment: Sendable, Equatable {
    /// One rule considered, in file order.
    public struct RuleOutcome: Sendable, Equatable {
        /// The rule's position among its owner's rules.
        public let index: Int
        /// The rounded reward, `nil` when a condition failed.
        public let reward: Int?
        /// The first failing condition in words (only when explaining).
        public let failure: String?
    }

    /// The attributed partner's position in `RuleSet.partners`.
    public let partner: Int?
    /// The partner's rules considered (with `stacking: first`, up to the first that matched).
    public let partnerRules: SmallArray<RuleOutcome>
    /// The programme's rules, empty when the payment is not in the programme's currency.
    public let programRules: SmallArray<RuleOutcome>
}

extension Evaluator {
    /// Assesses a payment against the rules given the account's history so far. Throws
    /// `.plugin` when a plugin fails, `.state` when a read of `history` failed (whatever the
    /// plugin then did).
    public func assess(_ payment: Event.Payment, history: any PaymentHistory) throws(EvaluationError) -> PaymentAssessment {
        // A history whose reads cannot fail needs no watching (and no guard to allocate).
        let guarded = history.readsMayFail ? GuardedHistory(history) : nil
        let history = guarded ?? history
        let partnerIndex = rules.attribute(payment)
        var partnerRules = SmallArray<PaymentAssessment.RuleOutcome>()
        if let partnerIndex {
            let partner = rules.partners[partnerIndex]
            let view = Payment(
                event: payment, partner: partner.id, local: partner.zone.localTime(payment.occurredAt),
                scope: .partner(partner.id), history: history)
            for (index, rule) in partner.rules.enumerated() {
                let outcome = try assess(rule, at: index, view, guarded: guarded)
                partnerRules.append(outcome)
                if partner.stacking == .first && outcome.reward != nil { break }
            }
        }
        var programRules = SmallArray<PaymentAssessment.RuleOutcome>()
        if payment.currency == rules.program.currency {
            let view = Payment(
                event: payment, partner: partnerIndex.map { rules.partners[$0].id },
                local: rules.program.zone.localTime(payment.occurredAt), scope: .program, history: history)
            for (index, rule) in rules.program.rules.enumerated() {
                programRules.append(try assess(rule, at: index, view, guarded: guarded))
            }
        }
        return PaymentAssessment(partner: partnerIndex, partnerRules: partnerRules, programRules: programRules)
    }

    private func assess(_ rule: Rule, at index: Int, _ payment: Payment, guarded: GuardedHistory?) throws(EvaluationError)
        -> PaymentAssessment.RuleOutcome
    {
        for condition in rule.conditions {
            let holds = try call(rule, condition.kind, guarded) { try condition.plugin.holds(for: payment) }
            if !holds {
                var failure: String?
                if explain {
                    failure = try call(rule, condition.kind, guarded) { try condition.plugin.explainFailure(for: payment) }
                }
                return PaymentAssessment.RuleOutcome(index: index, reward: nil, failure: failure)
            }
        }
        let exact = try call(rule, rule.rewardKind, guarded) { try rule.reward.reward(for: payment) }
        guard let reward = Evaluator.lineAmount(exact, rounding: rules.program.rounding) else {
            throw .plugin(
                PluginFailure(
                    rule: rule.name, kind: rule.rewardKind,
                    message: "reward \(exact) minor units is outside 0...\(DecimalAmount.maximumMinorUnits)"))
        }
        return PaymentAssessment.RuleOutcome(index: index, reward: reward, failure: nil)
    }

    /// One call into a plugin of `rule`: a failed history read during it (seen by `guarded`) is
    /// the state's failure, even if the plugin swallowed it; any other error is the plugin's.
    private func call<Value>(_ rule: Rule, _ kind: String, _ guarded: GuardedHistory?, _ body: () throws -> Value)
        throws(EvaluationError) -> Value
    {
        let result = Result { try body() }
        if let stateFailure = guarded?.stateFailure { throw .state(stateFailure) }
        switch result {
        case .success(let value): return value
        case .failure(let error): throw .plugin(PluginFailure(rule: rule.name, kind: kind, message: "\(error)"))
        }
    }

    /// A reward rounded to minor units, `nil` unless it is within 0…10^12 (the largest amount an
    /// event may carry). The built-in rewards always are (a rate is at most 100%, `flat` at most
    /// 10^12); the check keeps every later sum of lines far from `Int.max`, whatever a plugin says.
    static func lineAmount(_ exact: ExactAmount, rounding: RoundingMode) -> Int? {
        let maximum = Int128(DecimalAmount.maximumMinorUnits)
        guard exact.numerator >= 0, exact.numerator / exact.denominator <= maximum else { return nil }
        let rounded = exact.rounded(rounding)
        return rounded <= DecimalAmount.maximumMinorUnits ? rounded : nil
    }
}
