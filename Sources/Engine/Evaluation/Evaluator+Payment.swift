extension Evaluator {
    /// A line while a payment's limits are applied.
    private struct WorkingLine {
        let rule: String
        var amount: Int
        let ruleKeys: SmallArray<UsageKey>
        let isPartnerLine: Bool
    }

    /// A payment's lines through SPEC §4 steps 2–5: the partner's (if any) first, then the
    /// programme's, with the usage keys of the partner's and the programme's limits.
    private struct PaymentLines {
        var lines = SmallArray<WorkingLine>()
        var partnerKeys = SmallArray<UsageKey>()
        var programKeys = SmallArray<UsageKey>()

        var partnerTotal: Int { lines.reduce(0) { $0 + ($1.isPartnerLine ? $1.amount : 0) } }
        var grandTotal: Int { lines.reduce(0) { $0 + $1.amount } }
    }

    /// Applies a new payment: SPEC §4 steps 1–6, then the orphans that were waiting for it.
    /// A plugin failure, or a limit's usage that would no longer fit an `Int`, throws
    /// `EvaluationError.plugin` before anything changes; a failure of `state` throws its error.
    ///
    /// Every usage figure read before the commit is the one before this payment.
    ///
    /// Bounds: a line is at most 10^12 minor units (`assess` checks every reward) and a payment
    /// has at most one partner file's and the programme file's rules, each file at most
    /// `RuleLoader.maximumValues` YAML values, so every sum of a payment's lines stays below
    /// 2 × 10^5 × 10^12, far from `Int.max`.
    func processPayment(
        _ payment: Event.Payment, origin: EventOrigin, state: some EvaluationState,
        precomputed: ((Event.Payment) -> PaymentAssessment?)?
    ) throws -> SmallArray<Decision> {
        // 1. Attribution, and what each rule's conditions and reward say (made ahead of time by
        // the scheduler's slaves, or now).
        let assessment = try precomputed?(payment) ?? assess(payment, history: state)
        let partner = assessment.partner.map { rules.partners[$0] }
        var trace =
            explain
            ? Trace(
                attribution: assessment.partner.map { attributions[$0] } ?? "no partner matches this merchant, currency and date")
            : nil

        var cashback = PaymentLines()
        if let partner {
            // 2. The partner's lines: rule limits, then stacking.
            cashback.lines = try partnerLines(partner, assessment.partnerRules, payment, state: state, trace: &trace)
            // 3. The partner's limits and budget.
            cashback.partnerKeys = try capPartnerTotal(&cashback.lines, partner, payment, state: state, trace: &trace)
        }
        if payment.currency == rules.program.currency {
            // 4. The programme's lines, all kept.
            cashback.lines.append(
                contentsOf: try programLines(assessment.programRules, payment, state: state, trace: &trace))
            // 5. The programme's limits, on the grand total.
            cashback.programKeys = try capGrandTotal(&cashback.lines, payment, state: state, trace: &trace)
        }
        // 6. Commit.
        let recorded = try commit(cashback, of: payment, partner: partner, state: state)

        if var finished = trace {
            for index in finished.rules.indices {
                let name = finished.rules[index].rule
                finished.rules[index].final = recorded.first(where: { $0.rule == name })?.amount ?? 0
            }
            trace = finished
        }
        let amounts = Decision.Amounts(
            partner: partner?.id, currency: payment.currency,
            lines: SmallArray(recorded.lazy.map { Decision.Line(rule: $0.rule, amount: $0.amount) }), trace: trace,
            paymentAmount: payment.amount, occurredAt: payment.occurredAt)
        var decisions = SmallArray(
            Decision(event: .payment(payment), account: payment.account, outcome: .reward(amounts), origin: origin))
        for orphan in try state.takeOrphans(waitingFor: payment.id) {
            decisions.append(try processClawback(orphan.clawback, origin: orphan.origin, deferred: true, state: state))
        }
        return decisions
    }

    // MARK: the steps

    /// Step 2: each matching rule's reward cut by its own limits, kept by the partner's stacking.
    private func partnerLines(
        _ partner: Partner, _ outcomes: SmallArray<PaymentAssessment.RuleOutcome>, _ payment: Event.Payment,
        state: some EvaluationState, trace: inout Trace?
    ) throws -> SmallArray<WorkingLine> {
        var matched = SmallArray<WorkingLine>()
        for outcome in outcomes {
            let rule = partner.rules[outcome.index]
            if let line = try capped(rule, outcome, payment, isPartnerLine: true, state: state, trace: &trace) {
                matched.append(line)
            }
        }
        switch partner.stacking {
        case .sum, .first:
            // `first`: the assessment stopped at the first rule whose conditions hold.
            return matched
        case .best:
            var best: WorkingLine?
            for line in matched where line.amount > (best?.amount ?? 0) { best = line }
            return best.map { SmallArray($0) } ?? []
        }
    }

    /// Step 3: the partner's limits and budget cut the partner's total, from the last line
    /// backwards; returns their usage keys.
    private func capPartnerTotal(
        _ lines: inout SmallArray<WorkingLine>, _ partner: Partner, _ payment: Event.Payment,
        state: some EvaluationState, trace: inout Trace?
    ) throws -> SmallArray<UsageKey> {
        var steps: [Trace.LimitStep] = []
        let keys = try cut(&lines, by: partner.limits, payment, state: state, steps: &steps)
        trace?.partnerLimits = steps
        return keys
    }

    /// Step 4: each matching programme rule's reward cut by its own limits.
    private func programLines(
        _ outcomes: SmallArray<PaymentAssessment.RuleOutcome>, _ payment: Event.Payment,
        state: some EvaluationState, trace: inout Trace?
    ) throws -> SmallArray<WorkingLine> {
        var lines = SmallArray<WorkingLine>()
        for outcome in outcomes {
            let rule = rules.program.rules[outcome.index]
            if let line = try capped(rule, outcome, payment, isPartnerLine: false, state: state, trace: &trace) {
                lines.append(line)
            }
        }
        return lines
    }

    /// Step 5: the programme's limits cut the grand total, from the last line backwards
    /// (programme lines first, then partner lines); returns their usage keys.
    private func capGrandTotal(
        _ lines: inout SmallArray<WorkingLine>, _ payment: Event.Payment, state: some EvaluationState,
        trace: inout Trace?
    ) throws -> SmallArray<UsageKey> {
        var steps: [Trace.LimitStep] = []
        let keys = try cut(&lines, by: rules.program.limits, payment, state: state, steps: &steps)
        trace?.programLimits = steps
        return keys
    }

    /// Step 6: every limit's usage grows by the final amounts of the lines under it, counts by
    /// one where that amount is positive; the payment is recorded (seen, history, record for its
    /// refunds). Returns its non-zero lines. Throws before any change when a usage would no
    /// longer fit an `Int`.
    private func commit(
        _ cashback: PaymentLines, of payment: Event.Payment, partner: Partner?, state: some EvaluationState
    ) throws -> SmallArray<RecordedLine> {
        // What each usage key gets: a line's own keys its amount, the partner's keys the partner
        // lines' total, the programme's keys the grand total; only positive amounts count.
        var commits = SmallArray<(keys: SmallArray<UsageKey>, amount: Int)>()
        var recorded = SmallArray<RecordedLine>()
        for line in cashback.lines where line.amount > 0 {
            if !line.ruleKeys.isEmpty { commits.append((line.ruleKeys, line.amount)) }
            var usageKeys = line.ruleKeys
            if line.isPartnerLine { usageKeys.append(contentsOf: cashback.partnerKeys) }
            usageKeys.append(contentsOf: cashback.programKeys)
            recorded.append(RecordedLine(rule: line.rule, amount: line.amount, usageKeys: usageKeys))
        }
        let partnerTotal = cashback.partnerTotal
        if partnerTotal > 0 && !cashback.partnerKeys.isEmpty { commits.append((cashback.partnerKeys, partnerTotal)) }
        let grandTotal = cashback.grandTotal
        if grandTotal > 0 && !cashback.programKeys.isEmpty { commits.append((cashback.programKeys, grandTotal)) }
        try checkUsageFits(commits, state: state)

        var countKeys = SmallArray<UsageKey>()
        for commit in commits {
            for key in commit.keys { try state.addUsage(key, amount: commit.amount, count: 1) }
            countKeys.append(contentsOf: commit.keys)
        }
        try recordPurchase(payment, partner: partner, state: state)
        try state.recordPayment(
            PaymentRecord(
                id: payment.id, account: payment.account, partner: partner?.id, currency: payment.currency,
                amount: payment.amount, occurredAt: payment.occurredAt, lines: recorded, countKeys: countKeys),
            seen: SeenEvent(kind: .payment, fingerprint: payment.fingerprint))
        return recorded
    }

    // MARK: helpers

    /// Adds a processed payment to the account's history: at its partner (on its local day in
    /// the partner's zone) and anywhere (in the programme's zone).
    func recordPurchase(_ payment: Event.Payment, partner: Partner?, state: some PaymentHistoryRecorder) throws {
        if let partner {
            try state.recordPurchase(
                account: payment.account, at: partner.id, currency: payment.currency, amount: payment.amount,
                day: partner.zone.localTime(payment.occurredAt).date.daysSinceEpoch)
        }
        try state.recordPurchase(
            account: payment.account, at: nil, currency: payment.currency, amount: payment.amount,
            day: rules.program.zone.localTime(payment.occurredAt).date.daysSinceEpoch)
    }

    /// Throws when adding a payment's amounts would take a limit's usage past `Int.max`.
    ///
    /// A limit with `max` never gets there (its usage stays at most `max`), but the amount under
    /// a `count`-only limit grows with every rewarded payment; rather than trap (or wrap) after
    /// some 10^19 minor units, the payment fails like a plugin would and is set aside as dead.
    /// Clawbacks only give back what a payment added, so usage never falls below 0.
    private func checkUsageFits(
        _ commits: SmallArray<(keys: SmallArray<UsageKey>, amount: Int)>, state: some EvaluationState
    ) throws {
        for commit in commits {
            for key in commit.keys {
                guard try state.usage(key).amount.addingReportingOverflow(commit.amount).overflow else { continue }
                throw EvaluationError.plugin(
                    PluginFailure(
                        rule: key.limit, kind: "limit",
                        message: "usage \(key) would exceed \(Int.max) minor units; the payment is not applied"))
            }
        }
    }

    /// A matched rule's reward cut by its own limits, in declared order; `nil` for a rule
    /// whose conditions failed.
    private func capped(
        _ rule: Rule, _ outcome: PaymentAssessment.RuleOutcome, _ payment: Event.Payment, isPartnerLine: Bool,
        state: some EvaluationState, trace: inout Trace?
    ) throws -> WorkingLine? {
        guard let reward = outcome.reward else {
            trace?.rules.append(
                Trace.RuleStep(rule: rule.name, matched: false, failure: outcome.failure, reward: nil, limits: [], final: 0))
            return nil
        }
        var amount = reward
        var keys = SmallArray<UsageKey>()
        var steps: [Trace.LimitStep] = []
        for limit in rule.limits {
            let key = limit.usageKey(account: payment.account, at: payment.occurredAt)
            let remaining = limit.remaining(given: try key.map(state.usage) ?? .zero)
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
        _ lines: inout SmallArray<WorkingLine>, by limits: [Limit], _ payment: Event.Payment,
        state: some EvaluationState, steps: inout [Trace.LimitStep]
    ) throws -> SmallArray<UsageKey> {
        var keys = SmallArray<UsageKey>()
        for limit in limits {
            let key = limit.usageKey(account: payment.account, at: payment.occurredAt)
            if let key { keys.append(key) }
            let total = lines.reduce(0) { $0 + $1.amount }
            let remaining = limit.remaining(given: try key.map(state.usage) ?? .zero)
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
}
