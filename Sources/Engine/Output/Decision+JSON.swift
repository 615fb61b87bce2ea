extension Decision {
    /// The decision as one line of `dry-run --format json` (SPEC §5).
    public func jsonLine(includeTrace: Bool = true) -> String {
        var writer = JSONWriter()
        write(to: &writer, includeTrace: includeTrace)
        return writer.text
    }

    /// Writes what `jsonLine` returns to a writer, which a printer reuses line after line.
    package func writeJSONLine(to writer: inout JSONWriter, includeTrace: Bool) {
        write(to: &writer, includeTrace: includeTrace)
    }

    /// Writes, for storing, two values one after the other: the decision's line without its
    /// trace, then the trace object alone (`null` when there is none), as `jsonLine` writes them.
    package func writeForStorage(to writer: inout some JSONOutput) {
        write(to: &writer, includeTrace: false)
        if let amounts, let trace = amounts.trace {
            trace.write(to: &writer, currency: amounts.currency)
        } else {
            writer.null(nil)
        }
    }

    private func write(to writer: inout some JSONOutput, includeTrace: Bool) {
        writer.beginObject()
        switch outcome {
        case .invalid(let error):
            if let line = origin.line { writer.int("line", line) }
            if let file = origin.file { writer.string("file", file) }
            writer.string("status", status.rawValue)
            if let eventID { writer.string("event", eventID) }
            writer.string("error", error)
            if deferred { writer.bool("deferred", true) }
        case .orphan, .duplicate, .conflict, .dead:
            writeEvent(to: &writer)
            if let error { writer.string("error", error) }
        case .reward(let amounts), .clawback(let amounts):
            let currency = amounts.currency
            writeEvent(to: &writer)
            writer.optionalString("partner", amounts.partner)
            writer.string("currency", currency.code)
            writer.string("cashback", currency.format(amounts.cashback))
            writer.beginArray("lines")
            for line in amounts.lines {
                writer.beginObject()
                writer.string("rule", line.rule)
                writer.string("amount", currency.format(line.amount))
                writer.endObject()
            }
            writer.endArray()
            if let warning = amounts.warning { writer.string("warning", warning) }
            if deferred { writer.bool("deferred", true) }
            if includeTrace, let trace = amounts.trace { trace.write(to: &writer, currency: currency) }
        }
        writer.endObject()
    }

    /// `"event"`, `"type"`, `"account"` and `"status"`, as every decision on a valid event starts.
    private func writeEvent(to writer: inout some JSONOutput) {
        if let eventID { writer.string("event", eventID) }
        if let kind { writer.string("type", kind.rawValue) }
        if let account { writer.string("account", account) }
        writer.string("status", status.rawValue)
    }
}

extension Trace {
    func write(to writer: inout some JSONOutput, currency: Currency) {
        func limitSteps(_ key: String, _ steps: [LimitStep]) {
            writer.beginArray(key)
            for step in steps {
                writer.beginObject()
                writer.string("limit", step.limit)
                writer.string("before", currency.format(step.before))
                writer.string("after", currency.format(step.after))
                writer.endObject()
            }
            writer.endArray()
        }
        writer.beginObject("trace")
        writer.string("attribution", attribution)
        if let refundedFraction { writer.string("refunded", refundedFraction) }
        writer.beginArray("rules")
        for rule in rules {
            writer.beginObject()
            writer.string("rule", rule.rule)
            writer.bool("matched", rule.matched)
            if let failure = rule.failure { writer.string("failed", failure) }
            if let reward = rule.reward {
                writer.string("reward", currency.format(reward))
                limitSteps("limits", rule.limits)
                writer.bool("kept", rule.final > 0)
                writer.string("final", currency.format(rule.final))
            }
            writer.endObject()
        }
        writer.endArray()
        if !partnerLimits.isEmpty { limitSteps("partner_limits", partnerLimits) }
        if !programLimits.isEmpty { limitSteps("program_limits", programLimits) }
        writer.endObject()
    }
}
