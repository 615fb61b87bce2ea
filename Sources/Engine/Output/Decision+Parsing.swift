extension Decision {
    /// Reads back a decision from its JSON line (as `jsonLine` wrote it), for printing stored
    /// decisions in the other formats; `nil` for text that is not such a decision (a status
    /// without what it needs: an amounts status without a known currency or with a malformed
    /// line, a decision on an event without its id or type, a reason missing).
    public init?(storedJSON text: String, paymentAmount: Int? = nil) {
        guard let json = try? JSONParser.parse(text), case .string(let statusText)? = json["status"],
            let status = Status(rawValue: statusText)
        else { return nil }
        func string(_ key: String) -> String? {
            if case .string(let value)? = json[key] { return value }
            return nil
        }
        var line: Int?
        if case .number(let number)? = json["line"] { line = Int(number) }
        let origin = EventOrigin(file: string("file"), line: line)
        let deferred = json["deferred"] == .bool(true)
        if status == .invalid {
            guard let error = string("error") else { return nil }
            self.init(
                eventID: string("event"), kind: nil, account: nil, outcome: .invalid(error: error), deferred: deferred,
                origin: origin)
            return
        }
        guard let eventID = string("event"), let kind = string("type").flatMap(Event.Kind.init(rawValue:)) else {
            return nil
        }
        let outcome: Outcome
        switch status {
        case .rewarded, .noReward, .clawback:
            guard let amounts = Decision.amounts(in: json, paymentAmount: status == .clawback ? nil : paymentAmount) else {
                return nil
            }
            outcome = status == .clawback ? .clawback(amounts) : .reward(amounts)
        case .orphan: outcome = .orphan
        case .duplicate: outcome = .duplicate
        case .conflict, .dead:
            guard let error = string("error") else { return nil }
            outcome = status == .conflict ? .conflict(error: error) : .dead(error: error)
        case .invalid: return nil
        }
        self.init(eventID: eventID, kind: kind, account: string("account"), outcome: outcome, deferred: deferred, origin: origin)
        // What a reward's status says must be what its lines add up to.
        guard self.status == status else { return nil }
    }

    /// The currency, lines and warning of a stored reward or clawback; `nil` when any is missing
    /// or malformed.
    private static func amounts(in json: JSONValue, paymentAmount: Int?) -> Amounts? {
        guard case .string(let code)? = json["currency"], let currency = Currency(code: code),
            case .array(let items)? = json["lines"]
        else { return nil }
        var lines = SmallArray<Line>()
        for item in items {
            guard case .string(let rule)? = item["rule"], case .string(let amountText)? = item["amount"] else { return nil }
            let negative = amountText.hasPrefix("-")
            guard case .success(let units) = currency.minorUnits(negative ? String(amountText.dropFirst()) : amountText)
            else { return nil }
            lines.append(Line(rule: rule, amount: negative ? -units : units))
        }
        var partner: String?
        if case .string(let value)? = json["partner"] { partner = value }
        var warning: String?
        if case .string(let value)? = json["warning"] { warning = value }
        return Amounts(partner: partner, currency: currency, lines: lines, warning: warning, paymentAmount: paymentAmount)
    }
}
