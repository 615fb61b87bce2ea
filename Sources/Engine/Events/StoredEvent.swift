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
        var writer = BinaryWriter()
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
        var reader = BinaryReader(bytes: bytes)
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
}

extension BinaryReader {
    fileprivate mutating func merchant() -> Merchant? {
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
    fileprivate mutating func fingerprint(explicit: Bool, derived: @autoclosure () -> Fingerprint) -> Fingerprint? {
        guard explicit else { return derived() }
        return bytes(count: 32).flatMap { Fingerprint(bytes: Array($0)) }
    }
}
