extension Evaluator {
    /// A line while a payment's limits are applied.
    private struct WorkingLine {
        let rule: String
        var amount: Int
        let ruleKeys: [UsageKey]
        let isPartnerLine: Bool
    }

    /// Applies a new payment: limits, stacking, cuts and the commit of SPEC §4 steps 2–6, then
    /// the orphans that were waiting for it. A plugin failure, or a limit's usage that would no
    /// longer fit an `Int`, throws before anything changes.
    ///
    /// Bounds: a line is at most 10^12 minor units (`assess` checks every reward) and a payment
    /// has at most one partner file's and the programme file's rules, each file at most
    /// `RuleLoader.maximumValues` YAML values, so every sum of a payment's lines stays below
    /// 2 × 10^5 × 10^12, far from `Int.max`.
    func processPayment(
        _ event: Event, origin: EventOrigin, state: some EvaluationState, precomputed: ((Event) -> PaymentAssessment?)?
    ) throws(PluginFailure) -> [Decision] {
        guard let currency = event.currency, let amount = event.amount else {
            // The parser never makes such a payment; an `Event` built by hand might.
            return [
                Decision(
                    status: .invalid, eventID: event.id, kind: .payment, account: nil,
                    error: "\(event.currency == nil ? "currency" : "amount"): missing (required for a payment)", origin: origin)
            ]
        }
        let assessment: PaymentAssessment
        if let ready = precomputed?(event) {
            assessment = ready
        } else {
            assessment = try assess(event, history: state)
        }
        let account = event.account ?? ""
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
        var commits: [(keys: [UsageKey], amount: Int)] = []
        var recorded: [RecordedLine] = []
        for line in lines where line.amount > 0 {
            commits.append((line.ruleKeys, line.amount))
            recorded.append(
                RecordedLine(
                    rule: line.rule, amount: line.amount,
                    usageKeys: line.ruleKeys + (line.isPartnerLine ? partnerKeys : []) + programKeys))
        }
        commits.append((partnerKeys, lines[..<partnerLineCount].reduce(0) { $0 + $1.amount }))
        commits.append((programKeys, lines.reduce(0) { $0 + $1.amount }))
        commits.removeAll { $0.amount <= 0 }
        try checkUsageFits(commits, state: state)

        state.recordSeen(event.id, SeenEvent(kind: .payment, fingerprint: event.fingerprint))
        var countKeys: [UsageKey] = []
        for commit in commits {
            for key in commit.keys { state.addUsage(key, amount: commit.amount, count: 1) }
            countKeys += commit.keys
        }
        recordPurchase(event, partner: partner, state: state)
        state.savePayment(
            PaymentRecord(
                id: event.id, account: account, partner: partner?.id, currency: currency, amount: amount,
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
        guard let currency = event.currency, let amount = event.amount else { return }
        let account = event.account ?? ""
        if let partner {
            state.recordPurchase(
                account: account, at: partner.id, currency: currency, amount: amount,
                day: partner.zone.localTime(event.occurredAt).date.daysSinceEpoch)
        }
        state.recordPurchase(
            account: account, at: nil, currency: currency, amount: amount,
            day: rules.program.zone.localTime(event.occurredAt).date.daysSinceEpoch)
    }

    /// Throws when adding a payment's amounts would take a limit's usage past `Int.max`.
    ///
    /// A limit with `max` never gets there (its usage stays at most `max`), but the amount under
    /// a `count`-only limit grows with every rewarded payment; rather than trap (or wrap) after
    /// some 10^19 minor units, the payment fails like a plugin would and is set aside as dead.
    /// Clawbacks only give back what a payment added, so usage never falls below 0.
    private func checkUsageFits(_ commits: [(keys: [UsageKey], amount: Int)], state: some EvaluationState)
        throws(PluginFailure)
    {
        for commit in commits {
            for key in commit.keys where state.usage(key).amount.addingReportingOverflow(commit.amount).overflow {
                throw PluginFailure(
                    rule: key.limit, kind: "limit",
                    message: "usage \(key) would exceed \(Int.max) minor units; the payment is not applied")
            }
        }
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
