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
    /// it released (marked `deferred`).
    public func process(_ input: EventInput, state: some EvaluationState) -> [Decision] {
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
                return processPayment(event, origin: origin, state: state)
            case .refund, .reversal:
                return [processClawback(event, origin: origin, deferred: false, state: state)]
            }
        }
    }

    // MARK: payments

    /// A line while a payment is evaluated.
    private struct WorkingLine {
        let rule: String
        var amount: Int
        let ruleKeys: [UsageKey]
        let isPartnerLine: Bool
    }

    private func processPayment(_ event: Event, origin: EventOrigin, state: some EvaluationState) -> [Decision] {
        state.recordSeen(event.id, SeenEvent(kind: .payment, fingerprint: event.fingerprint))
        let account = event.account ?? ""
        let currency = event.currency!
        let partner = rules.attribute(event).map { rules.partners[$0] }
        var trace = explain ? Trace(attribution: attributionText(event, partner)) : nil

        var lines: [WorkingLine] = []
        var partnerKeys: [UsageKey] = []
        if let partner {
            let payment = Payment(
                event: event, partner: partner.id, local: partner.zone.localTime(event.occurredAt),
                scope: .partner(partner.id), history: state)
            var matched: [WorkingLine] = []
            for rule in partner.rules {
                guard let line = evaluate(rule, payment, isPartnerLine: true, state: state, trace: &trace) else { continue }
                matched.append(line)
                if partner.stacking == .first { break }
            }
            if partner.stacking == .best {
                var best: WorkingLine?
                for line in matched where line.amount > (best?.amount ?? 0) { best = line }
                lines = best.map { [$0] } ?? []
            } else {
                lines = matched
            }
            var partnerSteps: [Trace.LimitStep] = []
            partnerKeys = cut(&lines, by: partner.limits, account: account, at: event.occurredAt, state: state, currency: currency, steps: &partnerSteps)
            trace?.partnerLimits = partnerSteps
        }
        let partnerLineCount = lines.count

        var programKeys: [UsageKey] = []
        let programApplies = currency == rules.program.currency
        if programApplies {
            let payment = Payment(
                event: event, partner: partner?.id, local: rules.program.zone.localTime(event.occurredAt), scope: .program,
                history: state)
            for rule in rules.program.rules {
                if let line = evaluate(rule, payment, isPartnerLine: false, state: state, trace: &trace) { lines.append(line) }
            }
            var programSteps: [Trace.LimitStep] = []
            programKeys = cut(&lines, by: rules.program.limits, account: account, at: event.occurredAt, state: state, currency: currency, steps: &programSteps)
            trace?.programLimits = programSteps
        }

        // Commit: usage grows by the final amounts; counts by one where that amount is positive.
        var countKeys: [UsageKey] = []
        func commit(_ keys: [UsageKey], _ amount: Int) {
            guard amount > 0 else { return }
            for key in keys { state.addUsage(key, amount: amount, count: 1) }
            countKeys += keys
        }
        var recorded: [RecordedLine] = []
        for line in lines where line.amount > 0 {
            commit(line.ruleKeys, line.amount)
            recorded.append(
                RecordedLine(
                    rule: line.rule, amount: line.amount,
                    usageKeys: line.ruleKeys + (line.isPartnerLine ? partnerKeys : []) + programKeys))
        }
        commit(partnerKeys, lines[..<partnerLineCount].reduce(0) { $0 + $1.amount })
        commit(programKeys, lines.reduce(0) { $0 + $1.amount })

        if let partner {
            let local = partner.zone.localTime(event.occurredAt).date
            state.recordPurchase(
                account: account, at: partner.id, currency: currency, amount: event.amount!,
                periods: Period.allCases.map { $0.key(for: local) })
        }
        let programLocal = rules.program.zone.localTime(event.occurredAt).date
        state.recordPurchase(
            account: account, at: nil, currency: currency, amount: event.amount!,
            periods: Period.allCases.map { $0.key(for: programLocal) })
        state.savePayment(
            PaymentRecord(
                id: event.id, account: account, partner: partner?.id, currency: currency, amount: event.amount!,
                occurredAt: event.occurredAt, lines: recorded, countKeys: countKeys))

        if var finished = trace {
            for index in finished.rules.indices {
                let name = finished.rules[index].rule
                finished.rules[index].final = recorded.first(where: { $0.rule == name })?.amount ?? 0
            }
            trace = finished
        }
        let decisionLines = recorded.map { Decision.Line(rule: $0.rule, amount: $0.amount) }
        var decisions = [
            Decision(
                status: decisionLines.isEmpty ? .noReward : .rewarded, eventID: event.id, kind: .payment, account: account,
                partner: partner?.id, currency: currency, lines: decisionLines, origin: origin, trace: trace,
                paymentAmount: event.amount)
        ]
        for orphan in state.takeOrphans(waitingFor: event.id) {
            decisions.append(processClawback(orphan.event, origin: orphan.origin, deferred: true, state: state))
        }
        return decisions
    }

    /// Evaluates one rule: `nil` when a condition fails, else its rounded reward cut by its own limits.
    private func evaluate(
        _ rule: Rule, _ payment: Payment, isPartnerLine: Bool, state: some EvaluationState, trace: inout Trace?
    ) -> WorkingLine? {
        for condition in rule.conditions where !condition.plugin.holds(for: payment) {
            trace?.rules.append(
                Trace.RuleStep(
                    rule: rule.name, matched: false, failure: condition.plugin.explainFailure(for: payment), reward: nil,
                    limits: [], kept: false, final: 0))
            return nil
        }
        let reward = rule.reward.reward(for: payment).rounded(rules.program.rounding)
        var amount = reward
        var keys: [UsageKey] = []
        var steps: [Trace.LimitStep] = []
        for limit in rule.limits {
            let key = limit.usageKey(account: payment.account, at: payment.event.occurredAt)
            let remaining = limit.remaining(given: key.map(state.usage) ?? .zero)
            let after = min(amount, remaining)
            if trace != nil { steps.append(Trace.LimitStep(limit: limit.summary, before: amount, after: after)) }
            amount = after
            if let key { keys.append(key) }
        }
        trace?.rules.append(
            Trace.RuleStep(rule: rule.name, matched: true, failure: nil, reward: reward, limits: steps, kept: true, final: 0))
        return WorkingLine(rule: rule.name, amount: amount, ruleKeys: keys, isPartnerLine: isPartnerLine)
    }

    /// Cuts the total of `lines` by `limits`, taking each cut from the last line
    /// backwards; returns the usage keys of the limits.
    private func cut(
        _ lines: inout [WorkingLine], by limits: [Limit], account: String, at instant: Timestamp,
        state: some EvaluationState, currency: Currency, steps: inout [Trace.LimitStep]
    ) -> [UsageKey] {
        var keys: [UsageKey] = []
        for limit in limits {
            let key = limit.usageKey(account: account, at: instant)
            if let key { keys.append(key) }
            let total = lines.reduce(0) { $0 + $1.amount }
            let remaining = limit.remaining(given: key.map(state.usage) ?? .zero)
            var excess = total - remaining
            if explain { steps.append(Trace.LimitStep(limit: limit.summary, before: total, after: min(total, remaining))) }
            var index = lines.count - 1
            while excess > 0, index >= 0 {
                let taken = min(excess, lines[index].amount)
                lines[index].amount -= taken
                excess -= taken
                index -= 1
            }
        }
        return keys
    }

    private func attributionText(_ event: Event, _ partner: Partner?) -> String {
        if let partner { return "partner \(partner.id) (\(partner.file))" }
        return "no partner matches this merchant, currency and date"
    }

    // MARK: refunds and reversals

    private func processClawback(_ event: Event, origin: EventOrigin, deferred: Bool, state: some EvaluationState) -> Decision {
        let originalID = event.originalID ?? ""
        guard var record = state.payment(originalID) else {
            if let seen = state.seenEvent(originalID), seen.kind != .payment {
                return Decision(
                    status: .invalid, eventID: event.id, kind: event.kind, account: nil,
                    error: "original_id: '\(originalID)' names a \(seen.kind.rawValue), not a payment", deferred: deferred,
                    origin: origin)
            }
            state.recordSeen(event.id, SeenEvent(kind: event.kind, fingerprint: event.fingerprint))
            state.addOrphan(Orphan(event: event, origin: origin))
            return Decision(status: .orphan, eventID: event.id, kind: event.kind, account: event.account, origin: origin)
        }
        if let currency = event.currency, currency != record.currency {
            return Decision(
                status: .invalid, eventID: event.id, kind: event.kind, account: nil,
                error: "currency: '\(currency.code)' differs from the original payment's \(record.currency.code)",
                deferred: deferred, origin: origin)
        }
        if !deferred { state.recordSeen(event.id, SeenEvent(kind: event.kind, fingerprint: event.fingerprint)) }

        var warning: String?
        let wasFullyRefunded = record.refunded >= record.amount
        switch event.kind {
        case .reversal:
            if wasFullyRefunded { warning = "the payment was already fully refunded or reversed" }
            record.refunded = max(record.refunded, record.amount)
        default:
            record.refunded = min(record.refunded + (event.amount ?? 0), 2 * DecimalAmount.maximumMinorUnits)
            if record.refunded > record.amount { warning = "refunds exceed the original amount; applied up to it" }
        }
        let effective = min(record.refunded, record.amount)
        var lines: [Decision.Line] = []
        for index in record.lines.indices {
            let line = record.lines[index]
            let target = Int(Int128(line.amount) * Int128(effective) / Int128(record.amount))
            let delta = target - line.clawedBack
            guard delta != 0 else { continue }
            for key in line.usageKeys { state.addUsage(key, amount: -delta, count: 0) }
            record.lines[index].clawedBack = target
            lines.append(Decision.Line(rule: line.rule, amount: -delta))
        }
        if effective == record.amount && !record.countsReleased {
            for key in record.countKeys { state.addUsage(key, amount: 0, count: -1) }
            record.countsReleased = true
        }
        state.savePayment(record)
        var trace: Trace?
        if explain {
            trace = Trace(attribution: "clawback of \(record.id)")
            trace?.refundedFraction = "\(record.currency.format(effective))/\(record.currency.format(record.amount))"
        }
        return Decision(
            status: .clawback, eventID: event.id, kind: event.kind, account: record.account, partner: record.partner,
            currency: record.currency, lines: lines, warning: warning, deferred: deferred, origin: origin, trace: trace)
    }
}
