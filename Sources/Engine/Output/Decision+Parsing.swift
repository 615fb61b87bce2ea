extension Decision {
    /// Reads back a decision from its JSON line (as `jsonLine` wrote it), for printing stored
    /// decisions in the other formats; `nil` for text that is not a decision.
    public init?(storedJSON text: String, paymentAmount: Int? = nil) {
        guard let json = try? JSONParser.parse(text), case .string(let statusText)? = json["status"],
            let status = Status(rawValue: statusText)
        else { return nil }
        func string(_ key: String) -> String? {
            if case .string(let value)? = json[key] { return value }
            return nil
        }
        let currency = string("currency").flatMap(Currency.init(code:))
        var lines: [Line] = []
        if case .array(let items)? = json["lines"], let currency {
            for item in items {
                guard case .string(let rule)? = item["rule"], case .string(let amountText)? = item["amount"] else { continue }
                let negative = amountText.hasPrefix("-")
                guard case .success(let units) = currency.minorUnits(negative ? String(amountText.dropFirst()) : amountText)
                else { continue }
                lines.append(Line(rule: rule, amount: negative ? -units : units))
            }
        }
        var line: Int?
        if case .number(let number)? = json["line"] { line = Int(number) }
        self.init(
            status: status, eventID: string("event"), kind: string("type").flatMap(Event.Kind.init(rawValue:)),
            account: string("account"), partner: string("partner"), currency: currency, lines: lines,
            warning: string("warning"), error: string("error"), deferred: json["deferred"] == .bool(true),
            origin: EventOrigin(file: string("file"), line: line), paymentAmount: paymentAmount)
    }
}
