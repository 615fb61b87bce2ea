import Foundation

/// Turns JSON into validated events, strictly: every known field is checked, unknown fields are
/// ignored (SPEC §2, §8).
///
/// Beyond the spec's field rules, input is bounded so that no event can be huge: an event is at
/// most `maximumEventBytes` of JSON, an amount's text at most `maximumAmountLength`
/// characters, `occurred_at` at most `maximumTimestampLength`; lengths count Unicode scalars
/// (code points), as JSON Schema's `maxLength` does, not grapheme clusters. A key that appears
/// twice in one object, at any depth, makes the event invalid. Messages quote input through
/// `Echo`, clipped and escaped.
public enum EventParser {
    /// The largest event: its JSON written compactly (strings counted by their UTF-8 bytes).
    public static let maximumEventBytes = 64 * 1024
    /// The longest `amount` or `original_amount` text, leading zeros included.
    public static let maximumAmountLength = 32
    /// The longest `occurred_at`.
    public static let maximumTimestampLength = 64

    /// Parses one JSON Lines line (or any JSON text holding one object).
    ///
    /// A line of the usual shape is read straight from its bytes (`FlatEventJSON`); any other
    /// is parsed as a tree first. Both are checked by the same code, with the same results.
    public static func parse<Bytes: Collection>(line: Bytes) -> Result<Event, EventError> where Bytes.Element == UInt8 {
        if let flat = line.withContiguousStorageIfAvailable(parseUsualShape), let result = flat { return result }
        do {
            return parse(json: try JSONParser.parse(line))
        } catch {
            return .failure(EventError(field: "(event)", message: "not valid JSON: \(error)"))
        }
    }

    /// Reads a line of the usual shape straight from its bytes (see `FlatEventJSON`); `nil` for
    /// a line of any other shape.
    package static func parseUsualShape(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Event, EventError>? {
        FlatEventJSON.read(bytes) { object, size in
            var reader = FieldReader(json: object, shape: Shape(bytes: size, duplicate: nil))
            return Result { () throws(EventError) in try reader.event() }
        }
    }

    /// Validates a parsed JSON value as an event.
    public static func parse(json: JSONValue) -> Result<Event, EventError> {
        guard case .object = json else {
            return .failure(EventError(field: "(event)", message: "expected a JSON object"))
        }
        var reader = FieldReader(json: json, shape: Shape(json))
        return Result { () throws(EventError) in try reader.event() }
    }
}

/// Reads and checks the fields of one event object.
private struct FieldReader<Object: EventObject> {
    let json: Object
    let shape: Shape
    var eventID: String?

    init(json: Object, shape: Shape) {
        self.json = json
        self.shape = shape
    }

    func fail(_ field: String, _ message: String) -> EventError {
        EventError(field: field, message: message, eventID: eventID)
    }

    /// A present, non-null string field; `nil` when absent. A field inside an object is named
    /// with the object's key first (`merchant.mid`).
    func string(_ key: String, in object: Object? = nil, named objectKey: String? = nil) throws(EventError) -> String? {
        guard let value = (object ?? json).member(key) else { return nil }
        guard case .string(let text) = value else {
            throw fail(objectKey.map { "\($0).\(key)" } ?? key, "expected a string, got \(value.kindDescription)")
        }
        return text
    }

    /// Reads the fields in one order for every kind (the first field at fault is the one
    /// reported), each required or optional as the event's kind has it.
    mutating func event() throws(EventError) -> Event {
        if shape.duplicate == "id" { throw fail("id", "duplicate key") }
        guard let id = try string("id") else { throw fail("id", "missing") }
        guard (1...128).contains(id.utf8.count), id.utf8.allSatisfy(FieldReader.isIDByte) else {
            throw fail("id", "expected 1-128 of A-Z a-z 0-9 . _ : -")
        }
        eventID = id
        guard shape.bytes <= EventParser.maximumEventBytes else {
            throw fail("(event)", "larger than \(EventParser.maximumEventBytes) bytes of JSON")
        }
        if let duplicate = shape.duplicate { throw fail(duplicate, "duplicate key") }

        let kind: Event.Kind
        if let typeText = try string("type") {
            guard let parsed = Event.Kind(rawValue: typeText) else {
                throw fail("type", "'\(Echo.clipped(typeText))': expected payment | refund | reversal")
            }
            kind = parsed
        } else {
            kind = .payment
        }

        switch kind {
        case .payment:
            let account = try required(accountField(), "account", for: kind)
            let occurredAt = try occurredAtField()
            let currency = try required(currencyField("currency"), "currency", for: kind)
            let amount = try required(amountField("amount", currency: currency), "amount", for: kind)
            let merchant = try required(merchantField(), "merchant", for: kind)
            let original = try originalField()
            let originalID = try originalIDField()
            return .payment(
                Event.Payment(
                    id: id, account: account, occurredAt: occurredAt, amount: amount, currency: currency,
                    merchant: merchant, original: original,
                    fingerprint: Event.fingerprint(
                        kind: kind, account: account, occurredAt: occurredAt, amount: amount, currency: currency,
                        merchant: merchant, original: original, originalID: originalID)))
        case .refund:
            let account = try accountField()
            let occurredAt = try occurredAtField()
            let currency = try required(currencyField("currency"), "currency", for: kind)
            let amount = try required(amountField("amount", currency: currency), "amount", for: kind)
            let merchant = try merchantField()
            let original = try originalField()
            let originalID = try required(originalIDField(), "original_id", for: kind)
            return .refund(
                Event.Refund(
                    id: id, account: account, occurredAt: occurredAt, originalID: originalID, amount: amount,
                    currency: currency,
                    fingerprint: Event.fingerprint(
                        kind: kind, account: account, occurredAt: occurredAt, amount: amount, currency: currency,
                        merchant: merchant, original: original, originalID: originalID)))
        case .reversal:
            // A reversal's amount is validated and otherwise ignored (SPEC §8).
            let account = try accountField()
            let occurredAt = try occurredAtField()
            let currency = try currencyField("currency")
            let amount = try amountField("amount", currency: currency)
            let merchant = try merchantField()
            let original = try originalField()
            let originalID = try required(originalIDField(), "original_id", for: kind)
            return .reversal(
                Event.Reversal(
                    id: id, account: account, occurredAt: occurredAt, originalID: originalID,
                    fingerprint: Event.fingerprint(
                        kind: kind, account: account, occurredAt: occurredAt, amount: amount, currency: currency,
                        merchant: merchant, original: original, originalID: originalID)))
        }
    }

    /// `value`, which the event's kind requires.
    func required<Value>(_ value: Value?, _ key: String, for kind: Event.Kind) throws(EventError) -> Value {
        guard let value else { throw fail(key, "missing (required for a \(kind.rawValue))") }
        return value
    }

    func accountField() throws(EventError) -> String? {
        guard let text = try string("account") else { return nil }
        // No control characters in an id (a NUL would also cut it short in the store).
        guard !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            throw fail("account", "control characters are not allowed")
        }
        guard (1...128).contains(FieldReader.scalarCount(text)) else {
            throw fail("account", "expected a string of 1-128 characters")
        }
        // One spelling per account: canonically equivalent spellings (`é`, or `e` then U+0301)
        // are the same account in memory and in the store alike, written in NFC.
        return text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    func occurredAtField() throws(EventError) -> Timestamp {
        guard let occurredText = try string("occurred_at") else { throw fail("occurred_at", "missing") }
        guard occurredText.utf8.count <= EventParser.maximumTimestampLength else {
            throw fail(
                "occurred_at",
                "'\(Echo.clipped(occurredText))' is longer than \(EventParser.maximumTimestampLength) characters")
        }
        switch Timestamp.parse(occurredText) {
        case .success(let instant): return instant
        case .failure(.malformed):
            throw fail(
                "occurred_at", "'\(Echo.clipped(occurredText))' is not RFC 3339 with offset (e.g. 2026-11-24T14:03:00+01:00)")
        case .failure(.invalidValue):
            throw fail("occurred_at", "'\(Echo.clipped(occurredText))' is not a valid date/time")
        }
    }

    /// `original_amount` with `original_currency`: both or neither.
    func originalField() throws(EventError) -> Money? {
        let originalCurrency = try currencyField("original_currency")
        let originalAmount = try amountField("original_amount", currency: originalCurrency)
        switch (originalAmount, originalCurrency) {
        case (let amount?, let currency?): return Money(amount: amount, currency: currency)
        case (nil, nil): return nil
        case (nil, _?): throw fail("original_amount", "original_amount and original_currency come together")
        case (_?, nil): throw fail("original_currency", "original_amount and original_currency come together")
        }
    }

    func originalIDField() throws(EventError) -> String? {
        guard let originalID = try string("original_id") else { return nil }
        guard (1...128).contains(originalID.utf8.count), originalID.utf8.allSatisfy(FieldReader.isIDByte) else {
            throw fail("original_id", "expected 1-128 of A-Z a-z 0-9 . _ : -")
        }
        return originalID
    }

    func currencyField(_ key: String) throws(EventError) -> Currency? {
        guard let code = try string(key) else { return nil }
        guard let currency = Currency(code: code) else {
            throw fail(key, "'\(Echo.clipped(code))' is not a known ISO 4217 currency code")
        }
        return currency
    }

    /// An amount as a decimal string or a JSON number written the same way, > 0, at most 10^12
    /// minor units, with no more fraction digits than `currency` has.
    func amountField(_ key: String, currency: Currency?) throws(EventError) -> Int? {
        guard let value = json.member(key) else { return nil }
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = number
        default: throw fail(key, "expected a decimal string or number, got \(value.kindDescription)")
        }
        guard text.utf8.count <= EventParser.maximumAmountLength else {
            throw fail(key, "'\(Echo.clipped(text))' is longer than \(EventParser.maximumAmountLength) characters")
        }
        let parsed =
            currency.map { DecimalAmount.minorUnits(text, digits: $0.minorDigits) } ?? FieldReader.minorUnitsInSomeCurrency(text)
        switch parsed {
        case .success(let units):
            guard units > 0 else { throw fail(key, "must be > 0") }
            return units
        case .failure(.notDecimal): throw fail(key, "'\(Echo.clipped(text))' is not a decimal amount")
        case .failure(.tooManyFractionDigits(let allowed)):
            throw fail(key, "\(Echo.clipped(text)) has more fraction digits than \(currency?.code ?? "allowed") (\(allowed))")
        case .failure(.tooLarge): throw fail(key, "\(Echo.clipped(text)) exceeds 10^12 minor units")
        }
    }

    /// An amount without a currency (a reversal's, validated and otherwise ignored) is valid when
    /// some currency takes it: read with 4 fraction digits, or with 3, 2 or 0 when that is what
    /// keeps it within 10^12 minor units. So `docs/openapi.yaml`'s amount pattern, which cannot
    /// know the currency, accepts exactly these.
    static func minorUnitsInSomeCurrency(_ text: String) -> Result<Int, DecimalAmount.ParseError> {
        var tooLarge = false
        for digits in [4, 3, 2, 0] {
            switch DecimalAmount.minorUnits(text, digits: digits) {
            case .success(let units): return .success(units)
            case .failure(.notDecimal): return .failure(.notDecimal)
            case .failure(.tooLarge): tooLarge = true
            case .failure(.tooManyFractionDigits): break
            }
        }
        return .failure(tooLarge ? .tooLarge : .tooManyFractionDigits(allowed: 4))
    }

    func merchantField() throws(EventError) -> Merchant? {
        guard let value = json.member("merchant") else { return nil }
        guard case .object(let merchant) = value else {
            throw fail("merchant", "expected an object, got \(value.kindDescription)")
        }
        func text(_ key: String) throws(EventError) -> String? {
            try string(key, in: merchant, named: "merchant")
        }
        let mid = try text("mid")
        let siret = try text("siret")
        let name = try text("name")
        func checkLength(_ key: String, _ field: String?) throws(EventError) {
            if let field, !(1...128).contains(FieldReader.scalarCount(field)) {
                throw fail("merchant.\(key)", "expected 1-128 characters")
            }
        }
        try checkLength("mid", mid)
        try checkLength("name", name)
        if let siret, siret.utf8.count != 14 || !siret.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            throw fail("merchant.siret", "expected 14 digits")
        }
        let mcc = try text("mcc")
        if let mcc, mcc.utf8.count != 4 || !mcc.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            throw fail("merchant.mcc", "expected 4 digits")
        }
        let country = try text("country")
        if let country, country.utf8.count != 2 || !country.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) {
            throw fail("merchant.country", "expected two upper-case letters (ISO 3166 alpha-2)")
        }
        var channel: Merchant.Channel?
        if let channelText = try text("channel") {
            guard let parsed = Merchant.Channel(rawValue: channelText) else {
                throw fail("merchant.channel", "expected online | in_store")
            }
            channel = parsed
        }
        guard mid != nil || siret != nil || name != nil else {
            throw fail("merchant", "needs at least one of mid, siret, name")
        }
        return Merchant(mid: mid, siret: siret, name: name, mcc: mcc, country: country, channel: channel)
    }

    /// A text's length in Unicode scalars: its UTF-8 bytes that do not continue a character.
    static func scalarCount(_ text: String) -> Int {
        text.utf8.reduce(0) { count, byte in byte & 0xC0 == 0x80 ? count : count + 1 }
    }

    static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
            UInt8(ascii: "-"):
            return true
        default: return false
        }
    }
}

/// The size and the first repeated key of an event's JSON, found in one walk over it.
private struct Shape {
    /// Bytes of the compact JSON, strings counted by their UTF-8 bytes (escapes not expanded).
    var bytes = 0
    /// The path of a key that repeats in its object, outer objects first: `amount`,
    /// `merchant.name`, `extra[2].a`; keys are clipped with `Echo`.
    var duplicate: String?

    init(bytes: Int, duplicate: String?) {
        self.bytes = bytes
        self.duplicate = duplicate
    }

    init(_ json: JSONValue) {
        if let path = measure(json) {
            duplicate = path.reduce("") { path, component in
                component.hasPrefix("[") ? path + component : (path.isEmpty ? "" : path + ".") + Echo.clipped(component)
            }
        }
    }

    /// Adds `value`'s size; returns the path below it of its first repeated key, if any.
    private mutating func measure(_ value: JSONValue) -> [String]? {
        var found: [String]?
        switch value {
        case .object(let members):
            bytes += 2 + max(0, members.count - 1)
            // Small objects (every event's) compare keys pairwise; large ones use a set.
            var keys: Set<String>? = members.count > 16 ? [] : nil
            for (index, member) in members.enumerated() where found == nil {
                let repeated: Bool
                if let inserted = keys?.insert(member.key).inserted {
                    repeated = !inserted
                } else {
                    repeated = members[..<index].contains { $0.key == member.key }
                }
                if repeated { found = [member.key] }
            }
            for member in members {
                bytes += member.key.utf8.count + 3
                if let inner = measure(member.value), found == nil { found = [member.key] + inner }
            }
        case .array(let items):
            bytes += 2 + max(0, items.count - 1)
            for (index, item) in items.enumerated() {
                if let inner = measure(item), found == nil { found = ["[\(index)]"] + inner }
            }
        case .string(let text): bytes += text.utf8.count + 2
        case .number(let text): bytes += text.utf8.count
        case .bool(let flag): bytes += flag ? 4 : 5
        case .null: bytes += 4
        }
        return found
    }
}
