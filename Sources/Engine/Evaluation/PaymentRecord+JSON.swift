extension PaymentRecord {
    /// The record as compact JSON, for a store to keep (faster than `JSONEncoder`, which the
    /// scheduler's profile showed as its largest cost).
    public var jsonText: String {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.text
    }

    /// Writes the record as `jsonText` does, to any output (a store packs it).
    package func write(to writer: inout some JSONOutput) {
        writer.beginObject()
        writer.string("id", id)
        writer.string("account", account)
        if let partner { writer.string("partner", partner) }
        writer.string("currency", currency.code)
        writer.int("amount", amount)
        writer.int("at", Int(occurredAt.epochSeconds))
        writer.int("ns", Int(occurredAt.nanoseconds))
        writer.int("refunded", refunded)
        writer.bool("released", countsReleased)
        writer.beginArray("lines")
        for line in lines {
            writer.beginObject()
            writer.string("rule", line.rule)
            writer.int("amount", line.amount)
            writer.int("clawed", line.clawedBack)
            PaymentRecord.write(line.usageKeys, "keys", to: &writer)
            writer.endObject()
        }
        writer.endArray()
        PaymentRecord.write(countKeys, "counts", to: &writer)
        writer.endObject()
    }

    private static func write(_ keys: SmallArray<UsageKey>, _ name: String, to writer: inout some JSONOutput) {
        writer.beginArray(name)
        for key in keys {
            writer.beginArray()
            writer.string(nil, key.limit)
            if let account = key.account { writer.string(nil, account) } else { writer.null(nil) }
            writer.string(nil, key.period.period.rawValue)
            writer.int(nil, key.period.index)
            writer.endArray()
        }
        writer.endArray()
    }

    /// Reads a record back from `jsonText`; `nil` if the text is not one.
    public init?(jsonText: String) {
        guard let json = try? JSONParser.parse(jsonText) else { return nil }
        self.init(json: json)
    }

    /// Reads a record back from its JSON value; `nil` if the value is not one.
    package init?(json: JSONValue) {
        func string(_ value: JSONValue?) -> String? {
            if case .string(let text)? = value { return text }
            return nil
        }
        func int(_ value: JSONValue?) -> Int? {
            if case .number(let text)? = value { return Int(text) }
            return nil
        }
        func keys(_ value: JSONValue?) -> SmallArray<UsageKey>? {
            guard case .array(let items)? = value else { return nil }
            var keys = SmallArray<UsageKey>()
            for item in items {
                guard case .array(let parts) = item, parts.count == 4, let limit = string(parts[0]),
                    let period = string(parts[2]).flatMap(Period.init(rawValue:)), let index = int(parts[3])
                else { return nil }
                keys.append(UsageKey(limit: limit, account: string(parts[1]), period: PeriodKey(period: period, index: index)))
            }
            return keys
        }
        guard let id = string(json["id"]), let account = string(json["account"]),
            let currency = string(json["currency"]).flatMap(Currency.init(code:)), let amount = int(json["amount"]),
            let seconds = int(json["at"]), let nanoseconds = int(json["ns"]).flatMap({ Int32(exactly: $0) }),
            let refunded = int(json["refunded"]),
            case .bool(let released)? = json["released"], case .array(let lineItems)? = json["lines"],
            let countKeys = keys(json["counts"])
        else { return nil }
        var lines = SmallArray<RecordedLine>()
        for item in lineItems {
            guard let rule = string(item["rule"]), let lineAmount = int(item["amount"]), let clawed = int(item["clawed"]),
                let usageKeys = keys(item["keys"])
            else { return nil }
            lines.append(RecordedLine(rule: rule, amount: lineAmount, clawedBack: clawed, usageKeys: usageKeys))
        }
        self.init(
            id: id, account: account, partner: string(json["partner"]), currency: currency, amount: amount,
            occurredAt: Timestamp(epochSeconds: Int64(seconds), nanoseconds: nanoseconds), lines: lines,
            countKeys: countKeys, refunded: refunded, countsReleased: released)
    }
}
