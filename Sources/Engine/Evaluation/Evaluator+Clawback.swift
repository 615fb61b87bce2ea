extension Evaluator {
    // MARK: refunds and reversals

    /// Applies a refund or reversal (SPEC §4.1): an orphan while its original is unknown, else
    /// each line of the original clawed back to `floor(line × refunded fraction)`.
    func processClawback(
        _ clawback: Event.Clawback, origin: EventOrigin, deferred: Bool, state: some EvaluationState
    ) throws -> Decision {
        let event = clawback.event
        let originalID = clawback.originalID
        guard var record = try state.payment(originalID) else {
            if let seen = try state.seenEvent(originalID), seen.kind != .payment {
                let error = "original_id: '\(originalID)' names a \(seen.kind.rawValue), not a payment"
                return Decision(event: event, account: nil, outcome: .invalid(error: error), deferred: deferred, origin: origin)
            }
            try state.recordSeen(event.id, SeenEvent(kind: event.kind, fingerprint: event.fingerprint))
            try state.addOrphan(Orphan(clawback, origin: origin))
            return Decision(event: event, account: event.account, outcome: .orphan, origin: origin)
        }
        if let currency = clawback.currency, currency != record.currency {
            let error = "currency: '\(currency.code)' differs from the original payment's \(record.currency.code)"
            return Decision(event: event, account: nil, outcome: .invalid(error: error), deferred: deferred, origin: origin)
        }
        if !deferred { try state.recordSeen(event.id, SeenEvent(kind: event.kind, fingerprint: event.fingerprint)) }

        var warning: String?
        let wasFullyRefunded = record.refunded >= record.amount
        switch clawback {
        case .reversal:
            if wasFullyRefunded { warning = "the payment was already fully refunded or reversed" }
            record.refunded = max(record.refunded, record.amount)
        case .refund(let refund):
            // Both terms are at most 2 × 10^12: the sum cannot overflow.
            let cap = 2 * DecimalAmount.maximumMinorUnits
            record.refunded = min(min(record.refunded, cap) + min(refund.amount, cap), cap)
            if record.refunded > record.amount { warning = "refunds exceed the original amount; applied up to it" }
        }
        let effective = min(record.refunded, record.amount)
        // A stored record always has a positive amount; a damaged one claws back nothing.
        let original = Int128(max(record.amount, 1))
        var lines = SmallArray<Decision.Line>()
        for index in record.lines.indices {
            let line = record.lines[index]
            let target = Int(Int128(line.amount) * Int128(max(effective, 0)) / original)
            let delta = target - line.clawedBack
            guard delta != 0 else { continue }
            for key in line.usageKeys { try state.addUsage(key, amount: -delta, count: 0) }
            record.lines[index].clawedBack = target
            lines.append(Decision.Line(rule: line.rule, amount: -delta))
        }
        if effective == record.amount && !record.countsReleased {
            for key in record.countKeys { try state.addUsage(key, amount: 0, count: -1) }
            record.countsReleased = true
        }
        try state.savePayment(record)
        var trace: Trace?
        if explain {
            trace = Trace(attribution: "clawback of \(record.id)")
            trace?.refundedFraction = "\(record.currency.format(effective))/\(record.currency.format(record.amount))"
        }
        let amounts = Decision.Amounts(
            partner: record.partner, currency: record.currency, lines: lines, warning: warning, trace: trace,
            originalID: record.id, occurredAt: event.occurredAt)
        return Decision(event: event, account: record.account, outcome: .clawback(amounts), deferred: deferred, origin: origin)
    }
}
