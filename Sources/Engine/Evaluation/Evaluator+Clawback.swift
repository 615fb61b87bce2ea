extension Evaluator {
    // MARK: refunds and reversals

    func processClawback(_ event: Event, origin: EventOrigin, deferred: Bool, state: some EvaluationState) -> Decision {
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
            // Both terms are at most 2 × 10^12: the sum cannot overflow.
            let cap = 2 * DecimalAmount.maximumMinorUnits
            record.refunded = min(min(record.refunded, cap) + min(event.amount ?? 0, cap), cap)
            if record.refunded > record.amount { warning = "refunds exceed the original amount; applied up to it" }
        }
        let effective = min(record.refunded, record.amount)
        // A stored record always has a positive amount; a damaged one claws back nothing.
        let original = Int128(max(record.amount, 1))
        var lines: [Decision.Line] = []
        for index in record.lines.indices {
            let line = record.lines[index]
            let target = Int(Int128(line.amount) * Int128(max(effective, 0)) / original)
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
            currency: record.currency, lines: lines, warning: warning, deferred: deferred, origin: origin, trace: trace,
            occurredAt: event.occurredAt)
    }
}
