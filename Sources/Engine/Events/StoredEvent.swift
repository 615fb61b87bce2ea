/// A compact binary form of a validated event, for the durable queue: the event's fields as
/// varints and length-prefixed strings, so that processing reads them back without parsing JSON.
///
/// The fingerprint is written only when the event's own fields do not give it back (a sender's
/// field that the event's kind ignores, such as a refund's merchant, is part of it): the bytes
/// hold every event's fingerprint exactly either way.
public enum StoredEvent {
    private enum Kind: UInt8 {
        case payment = 1
        case refund = 2
        case reversal = 3
    }

    /// Set on the kind byte when the fingerprint's 32 bytes follow the fields.
    private static let explicitFingerprint: UInt8 = 0x80

    /// The bytes of `event`.
    public static func encode(_ event: Event) -> [UInt8] {
        var writer = Writer()
        let derived: Fingerprint
        switch event {
        case .payment(let payment):
            writer.bytes.append(Kind.payment.rawValue)
            writer.string(payment.id)
            writer.string(payment.account)
            writer.timestamp(payment.occurredAt)
            writer.integer(payment.amount)
            writer.string(payment.currency.code)
            for field in merchantFields(payment.merchant) { writer.optionalString(field) }
            writer.optionalString(payment.original?.currency.code)
            if let original = payment.original { writer.integer(original.amount) }
            derived = paymentFingerprint(
                account: payment.account, occurredAt: payment.occurredAt, amount: payment.amount,
                currency: payment.currency, merchant: payment.merchant, original: payment.original)
        case .refund(let refund):
            writer.bytes.append(Kind.refund.rawValue)
            writer.string(refund.id)
            writer.optionalString(refund.account)
            writer.timestamp(refund.occurredAt)
            writer.string(refund.originalID)
            writer.integer(refund.amount)
            writer.string(refund.currency.code)
            derived = refundFingerprint(
                account: refund.account, occurredAt: refund.occurredAt, originalID: refund.originalID, amount: refund.amount,
                currency: refund.currency)
        case .reversal(let reversal):
            writer.bytes.append(Kind.reversal.rawValue)
            writer.string(reversal.id)
            writer.optionalString(reversal.account)
            writer.timestamp(reversal.occurredAt)
            writer.string(reversal.originalID)
            derived = reversalFingerprint(
                account: reversal.account, occurredAt: reversal.occurredAt, originalID: reversal.originalID)
        }
        if derived != event.fingerprint {
            writer.bytes[0] |= explicitFingerprint
            writer.bytes.append(contentsOf: event.fingerprint.bytes)
        }
        return writer.bytes
    }

    /// The event `bytes` hold; `nil` when they are not an encoded event.
    public static func decode(_ bytes: [UInt8]) -> Event? {
        var reader = Reader(bytes: bytes)
        guard let first = reader.byte(), let kind = Kind(rawValue: first & ~explicitFingerprint) else { return nil }
        let explicit = first & explicitFingerprint != 0
        let event: Event
        switch kind {
        case .payment:
            guard let id = reader.string(), let account = reader.string(), let occurredAt = reader.timestamp(),
                let amount = reader.integer(), let currency = reader.currency(), let merchant = reader.merchant(),
                let originalCode = reader.optionalString()
            else { return nil }
            var original: Money?
            if let originalCode {
                guard let currency = Currency(code: originalCode), let amount = reader.integer() else { return nil }
                original = Money(amount: amount, currency: currency)
            }
            guard
                let fingerprint = reader.fingerprint(
                    explicit: explicit,
                    derived: paymentFingerprint(
                        account: account, occurredAt: occurredAt, amount: amount, currency: currency, merchant: merchant,
                        original: original))
            else { return nil }
            event = .payment(
                Event.Payment(
                    id: id, account: account, occurredAt: occurredAt, amount: amount, currency: currency,
                    merchant: merchant, original: original, fingerprint: fingerprint))
        case .refund:
            guard let id = reader.string(), let account = reader.optionalString(), let occurredAt = reader.timestamp(),
                let originalID = reader.string(), let amount = reader.integer(), let currency = reader.currency()
            else { return nil }
            guard
                let fingerprint = reader.fingerprint(
                    explicit: explicit,
                    derived: refundFingerprint(
                        account: account, occurredAt: occurredAt, originalID: originalID, amount: amount,
                        currency: currency))
            else { return nil }
            event = .refund(
                Event.Refund(
                    id: id, account: account, occurredAt: occurredAt, originalID: originalID, amount: amount,
                    currency: currency, fingerprint: fingerprint))
        case .reversal:
            guard let id = reader.string(), let account = reader.optionalString(), let occurredAt = reader.timestamp(),
                let originalID = reader.string()
            else { return nil }
            guard
                let fingerprint = reader.fingerprint(
                    explicit: explicit,
                    derived: reversalFingerprint(account: account, occurredAt: occurredAt, originalID: originalID))
            else { return nil }
            event = .reversal(
                Event.Reversal(
                    id: id, account: account, occurredAt: occurredAt, originalID: originalID, fingerprint: fingerprint))
        }
        return reader.isAtEnd ? event : nil
    }

    private static func merchantFields(_ merchant: Merchant) -> [String?] {
        [merchant.mid, merchant.siret, merchant.name, merchant.mcc, merchant.country, merchant.channel?.rawValue]
    }

    // The fingerprints an event's own fields give: what `EventParser` computes when the sender
    // gave no field its kind ignores.

    private static func paymentFingerprint(
        account: String, occurredAt: Timestamp, amount: Int, currency: Currency, merchant: Merchant, original: Money?
    ) -> Fingerprint {
        Event.fingerprint(
            kind: .payment, account: account, occurredAt: occurredAt, amount: amount, currency: currency, merchant: merchant,
            original: original, originalID: nil)
    }

    private static func refundFingerprint(
        account: String?, occurredAt: Timestamp, originalID: String, amount: Int, currency: Currency
    ) -> Fingerprint {
        Event.fingerprint(
            kind: .refund, account: account, occurredAt: occurredAt, amount: amount, currency: currency, merchant: nil,
            original: nil, originalID: originalID)
    }

    private static func reversalFingerprint(account: String?, occurredAt: Timestamp, originalID: String) -> Fingerprint {
        Event.fingerprint(
            kind: .reversal, account: account, occurredAt: occurredAt, amount: nil, currency: nil, merchant: nil,
            original: nil, originalID: originalID)
    }

    private struct Writer {
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(96) }

        mutating func varint(_ value: UInt64) {
            var rest = value
            while rest >= 0x80 {
                bytes.append(UInt8(rest & 0x7F) | 0x80)
                rest >>= 7
            }
            bytes.append(UInt8(rest))
        }

        mutating func integer(_ value: Int) {
            varint(UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1)))))
        }

        mutating func string(_ text: String) {
            varint(UInt64(text.utf8.count))
            bytes.append(contentsOf: text.utf8)
        }

        /// 0 for absent, else the length plus one and the text.
        mutating func optionalString(_ text: String?) {
            guard let text else { return varint(0) }
            varint(UInt64(text.utf8.count) + 1)
            bytes.append(contentsOf: text.utf8)
        }

        mutating func timestamp(_ time: Timestamp) {
            integer(Int(time.epochSeconds))
            varint(UInt64(UInt32(bitPattern: time.nanoseconds)))
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func byte() -> UInt8? {
            guard offset < bytes.count else { return nil }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while let byte = byte(), shift < 64 {
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }

        mutating func integer() -> Int? {
            guard let zigzag = varint() else { return nil }
            return Int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
        }

        mutating func text(length: UInt64) -> String? {
            guard length <= UInt64(bytes.count - offset) else { return nil }
            defer { offset += Int(length) }
            return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
        }

        mutating func string() -> String? { varint().flatMap { text(length: $0) } }

        /// `.some(nil)` for an absent string, `nil` for bytes that are not one.
        mutating func optionalString() -> String?? {
            guard let marker = varint() else { return nil }
            guard marker > 0 else { return .some(nil) }
            return text(length: marker - 1).map { .some($0) }
        }

        mutating func currency() -> Currency? { string().flatMap(Currency.init(code:)) }

        mutating func timestamp() -> Timestamp? {
            guard let seconds = integer(), let nanoseconds = varint(), nanoseconds < 1_000_000_000 else { return nil }
            return Timestamp(epochSeconds: Int64(seconds), nanoseconds: Int32(nanoseconds))
        }

        mutating func merchant() -> Merchant? {
            var fields: [String?] = []
            for _ in 0..<6 {
                guard let field = optionalString() else { return nil }
                fields.append(field)
            }
            var channel: Merchant.Channel?
            if let text = fields[5] {
                guard let known = Merchant.Channel(rawValue: text) else { return nil }
                channel = known
            }
            return Merchant(
                mid: fields[0], siret: fields[1], name: fields[2], mcc: fields[3], country: fields[4], channel: channel)
        }

        /// The 32 bytes that end the encoding when `explicit`, else `derived`.
        mutating func fingerprint(explicit: Bool, derived: @autoclosure () -> Fingerprint) -> Fingerprint? {
            guard explicit else { return derived() }
            guard bytes.count - offset >= 32 else { return nil }
            defer { offset += 32 }
            return Fingerprint(bytes: Array(bytes[offset..<offset + 32]))
        }

        var isAtEnd: Bool { offset == bytes.count }
    }
}
