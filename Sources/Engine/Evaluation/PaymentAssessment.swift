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
    public let partnerRules: [RuleOutcome]
    /// The programme's rules, empty when the payment is not in the programme's currency.
    public let programRules: [RuleOutcome]
}

extension Evaluator {
    /// Assesses a payment against the rules given the account's history so far.
    public func assess(_ event: Event, history: any PaymentHistory) throws(PluginFailure) -> PaymentAssessment {
        let partnerIndex = rules.attribute(event)
        var partnerRules: [PaymentAssessment.RuleOutcome] = []
        if let partnerIndex {
            let partner = rules.partners[partnerIndex]
            let payment = Payment(
                event: event, partner: partner.id, local: partner.zone.localTime(event.occurredAt),
                scope: .partner(partner.id), history: history)
            for (index, rule) in partner.rules.enumerated() {
                let outcome = try assess(rule, at: index, payment)
                partnerRules.append(outcome)
                if partner.stacking == .first && outcome.reward != nil { break }
            }
        }
        var programRules: [PaymentAssessment.RuleOutcome] = []
        if event.currency == rules.program.currency {
            let payment = Payment(
                event: event, partner: partnerIndex.map { rules.partners[$0].id },
                local: rules.program.zone.localTime(event.occurredAt), scope: .program, history: history)
            for (index, rule) in rules.program.rules.enumerated() {
                programRules.append(try assess(rule, at: index, payment))
            }
        }
        return PaymentAssessment(partner: partnerIndex, partnerRules: partnerRules, programRules: programRules)
    }

    private func assess(_ rule: Rule, at index: Int, _ payment: Payment) throws(PluginFailure)
        -> PaymentAssessment.RuleOutcome
    {
        for condition in rule.conditions {
            let holds: Bool
            do {
                holds = try condition.plugin.holds(for: payment)
            } catch {
                throw PluginFailure(rule: rule.name, kind: condition.kind, message: "\(error)")
            }
            if !holds {
                return PaymentAssessment.RuleOutcome(
                    index: index, reward: nil, failure: explain ? condition.plugin.explainFailure(for: payment) : nil)
            }
        }
        let exact: ExactAmount
        do {
            exact = try rule.reward.reward(for: payment)
        } catch {
            throw PluginFailure(rule: rule.name, kind: rule.rewardKind, message: "\(error)")
        }
        guard let reward = Evaluator.lineAmount(exact, rounding: rules.program.rounding) else {
            throw PluginFailure(
                rule: rule.name, kind: rule.rewardKind,
                message: "reward \(exact) minor units is outside 0...\(DecimalAmount.maximumMinorUnits)")
        }
        return PaymentAssessment.RuleOutcome(index: index, reward: reward, failure: nil)
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
