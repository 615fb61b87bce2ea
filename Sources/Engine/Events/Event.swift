/// A validated payment, refund or reversal (SPEC §2), each with the fields it really has. Money
/// is in minor units of its currency.
///
/// Events come from `EventParser`, which also gives each its `fingerprint`.
public enum Event: Sendable, Equatable {
    case payment(Payment)
    case refund(Refund)
    case reversal(Reversal)

    /// The kind of event.
    public enum Kind: String, Sendable, CaseIterable {
        case payment, refund, reversal
    }

    /// A card payment at a merchant.
    public struct Payment: Sendable, Equatable {
        /// The idempotency key.
        public let id: String
        public let account: String
        public let occurredAt: Timestamp
        /// Minor units of `currency`.
        public let amount: Int
        public let currency: Currency
        public let merchant: Merchant
        /// The amount in the merchant's currency for a cross-border payment (informational).
        public let original: Money?
        /// See `Event.fingerprint`.
        public let fingerprint: Fingerprint

        /// `original_currency` is present and differs from `currency`.
        public var isForeign: Bool {
            guard let original else { return false }
            return original.currency != currency
        }
    }

    /// A partial (or whole) refund of a payment.
    public struct Refund: Sendable, Equatable {
        public let id: String
        /// The account the sender named, if any; the clawback is the original payment's.
        public let account: String?
        public let occurredAt: Timestamp
        /// The payment it refers to.
        public let originalID: String
        /// Minor units of `currency`, which must be the original payment's.
        public let amount: Int
        public let currency: Currency
        /// See `Event.fingerprint`.
        public let fingerprint: Fingerprint
    }

    /// A cancellation or chargeback: the whole payment is undone, in the payment's currency.
    public struct Reversal: Sendable, Equatable {
        public let id: String
        /// The account the sender named, if any; the clawback is the original payment's.
        public let account: String?
        public let occurredAt: Timestamp
        /// The payment it refers to.
        public let originalID: String
        /// See `Event.fingerprint`.
        public let fingerprint: Fingerprint
    }

    /// The idempotency key.
    public var id: String {
        switch self {
        case .payment(let payment): payment.id
        case .refund(let refund): refund.id
        case .reversal(let reversal): reversal.id
        }
    }

    public var kind: Kind {
        switch self {
        case .payment: .payment
        case .refund: .refund
        case .reversal: .reversal
        }
    }

    public var occurredAt: Timestamp {
        switch self {
        case .payment(let payment): payment.occurredAt
        case .refund(let refund): refund.occurredAt
        case .reversal(let reversal): reversal.occurredAt
        }
    }

    /// The account the event names: a payment's always, a refund's or reversal's when the sender
    /// gave one. Decisions that only echo the event (orphan, duplicate, conflict, dead) report it.
    public var account: String? {
        switch self {
        case .payment(let payment): payment.account
        case .refund(let refund): refund.account
        case .reversal(let reversal): reversal.account
        }
    }

    /// The event's content for duplicate detection: its known fields after defaults, amounts by
    /// value and `occurred_at` by instant (SPEC §8), every field the sender gave included, even
    /// one its type ignores (a refund's merchant, a reversal's currency). Two events with one id
    /// and equal fingerprints are duplicates; unequal ones conflict.
    public var fingerprint: Fingerprint {
        switch self {
        case .payment(let payment): payment.fingerprint
        case .refund(let refund): refund.fingerprint
        case .reversal(let reversal): reversal.fingerprint
        }
    }

    /// The fingerprint of an event with these fields (`nil`: absent): the digest of a text in
    /// which each field is written with its length (absent fields as `-`), so the text is
    /// unambiguous whatever the fields contain.
    static func fingerprint(
        kind: Kind, account: String?, occurredAt: Timestamp, amount: Int?, currency: Currency?, merchant: Merchant?,
        original: Money?, originalID: String?
    ) -> Fingerprint {
        // The text's room: its 12 text fields as they are, its 3 numbers at their longest.
        let room =
            3 * FingerprintText.roomForNumber + FingerprintText.room(for: kind.rawValue)
            + FingerprintText.room(for: account) + FingerprintText.room(for: currency?.code)
            + FingerprintText.room(for: merchant?.mid) + FingerprintText.room(for: merchant?.siret)
            + FingerprintText.room(for: merchant?.name) + FingerprintText.room(for: merchant?.mcc)
            + FingerprintText.room(for: merchant?.country) + FingerprintText.room(for: merchant?.channel?.rawValue)
            + FingerprintText.room(for: "m") + FingerprintText.room(for: original?.currency.code)
            + FingerprintText.room(for: originalID)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: room) { buffer in
            var text = FingerprintText(buffer: buffer)
            text.field(kind.rawValue)
            text.field(account)
            text.field(occurredAt)
            text.field(amount)
            text.field(currency?.code)
            text.field(merchant?.mid)
            text.field(merchant?.siret)
            text.field(merchant?.name)
            text.field(merchant?.mcc)
            text.field(merchant?.country)
            text.field(merchant?.channel?.rawValue)
            text.field(merchant == nil ? nil : "m")
            text.field(original?.amount)
            text.field(original?.currency.code)
            text.field(originalID)
            return text.fingerprint()
        }
    }
}
