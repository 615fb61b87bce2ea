extension Evaluator {
    /// A line while a payment's limits are applied.
    private struct WorkingLine {
        let rule: String
        var amount: Int
        let ruleKeys: [UsageKey]
        let isPartnerLine: Bool
    }

    /// Applies a new payment: limits, stacking, cuts and the commit of SPEC §4 steps 2–6, then
    /// the orphans that were waiting for it. A plugin failure throws before anything changes.
    func processPayment(
        _ event: Event, origin: EventOrigin, state: some EvaluationState, precomputed: ((Event) -> PaymentAssessment?)?
    ) throws(PluginFailure) -> [Decision] {
        let assessment: PaymentAssessment
        if let ready = precomputed?(event) {
            assessment = ready
        } else {
            assessment = try assess(event, history: state)
        }
        state.recordSeen(event.id, SeenEvent(kind: .payment, fingerprint: event.fingerprint))
        let account = event.account ?? ""
        let currency = event.currency!
        let partner = assessment.partner.map { rules.partners[$0] }
        var trace = explain ? Trace(attribution: attributionText(partner)) : nil

        var lines: [WorkingLine] = []
        var partnerKeys: [UsageKey] = []
        if let partner {
            let matched = assessment.partnerRules.compactMap { outcome in
                capped(partner.rules[outcome.index], outcome, event: event, isPartnerLine: true, state: state, trace: &trace)
            }
            switch partner.stacking {
            case .sum, .first:
                lines = matched
            case .best:
                var best: WorkingLine?
                for line in matched where line.amount > (best?.amount ?? 0) { best = line }
                lines = best.map { [$0] } ?? []
            }
            var steps: [Trace.LimitStep] = []
            partnerKeys = cut(&lines, by: partner.limits, event: event, state: state, steps: &steps)
            trace?.partnerLimits = steps
        }
        let partnerLineCount = lines.count

        var programKeys: [UsageKey] = []
        let programApplies = currency == rules.program.currency
        if programApplies {
            for outcome in assessment.programRules {
                if let line = capped(rules.program.rules[outcome.index], outcome, event: event, isPartnerLine: false, state: state, trace: &trace) {
                    lines.append(line)
                }
            }
            var steps: [Trace.LimitStep] = []
            programKeys = cut(&lines, by: rules.program.limits, event: event, state: state, steps: &steps)
            trace?.programLimits = steps
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

        recordPurchase(event, partner: partner, state: state)
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
                paymentAmount: event.amount, occurredAt: event.occurredAt)
        ]
        for orphan in state.takeOrphans(waitingFor: event.id) {
            decisions.append(processClawback(orphan.event, origin: orphan.origin, deferred: true, state: state))
        }
        return decisions
    }

    /// Adds a processed payment to the account's history: at its partner (on its local day in
    /// the partner's zone) and anywhere (in the programme's zone).
    func recordPurchase(_ event: Event, partner: Partner?, state: some PaymentHistoryRecorder) {
        let account = event.account ?? ""
        if let partner {
            state.recordPurchase(
                account: account, at: partner.id, currency: event.currency!, amount: event.amount!,
                day: partner.zone.localTime(event.occurredAt).date.daysSinceEpoch)
        }
        state.recordPurchase(
            account: account, at: nil, currency: event.currency!, amount: event.amount!,
            day: rules.program.zone.localTime(event.occurredAt).date.daysSinceEpoch)
    }

    /// A matched rule's reward cut by its own limits, in declared order; `nil` for a rule
    /// whose conditions failed.
    private func capped(
        _ rule: Rule, _ outcome: PaymentAssessment.RuleOutcome, event: Event, isPartnerLine: Bool,
        state: some EvaluationState, trace: inout Trace?
    ) -> WorkingLine? {
        guard let reward = outcome.reward else {
            trace?.rules.append(
                Trace.RuleStep(rule: rule.name, matched: false, failure: outcome.failure, reward: nil, limits: [], final: 0))
            return nil
        }
        var amount = reward
        var keys: [UsageKey] = []
        var steps: [Trace.LimitStep] = []
        for limit in rule.limits {
            let key = limit.usageKey(account: event.account ?? "", at: event.occurredAt)
            let remaining = limit.remaining(given: key.map(state.usage) ?? .zero)
            let after = min(amount, remaining)
            if explain { steps.append(Trace.LimitStep(limit: limit.summary, before: amount, after: after)) }
            amount = after
            if let key { keys.append(key) }
        }
        trace?.rules.append(Trace.RuleStep(rule: rule.name, matched: true, failure: nil, reward: reward, limits: steps, final: 0))
        return WorkingLine(rule: rule.name, amount: amount, ruleKeys: keys, isPartnerLine: isPartnerLine)
    }

    /// Cuts the total of `lines` by `limits`, taking each cut from the last line backwards;
    /// returns the usage keys of the limits.
    private func cut(
        _ lines: inout [WorkingLine], by limits: [Limit], event: Event, state: some EvaluationState,
        steps: inout [Trace.LimitStep]
    ) -> [UsageKey] {
        var keys: [UsageKey] = []
        for limit in limits {
            let key = limit.usageKey(account: event.account ?? "", at: event.occurredAt)
            if let key { keys.append(key) }
            let total = lines.reduce(0) { $0 + $1.amount }
            let remaining = limit.remaining(given: key.map(state.usage) ?? .zero)
            if explain { steps.append(Trace.LimitStep(limit: limit.summary, before: total, after: min(total, remaining))) }
            var excess = total - remaining
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

    private func attributionText(_ partner: Partner?) -> String {
        if let partner { return "partner \(partner.id) (\(partner.file))" }
        return "no partner matches this merchant, currency and date"
    }
}
