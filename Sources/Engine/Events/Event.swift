/// A validated payment, refund or reversal (SPEC §2). Money is in minor units of `currency`.
public struct Event: Sendable, Equatable {
    /// The kind of event.
    public enum Kind: String, Sendable, CaseIterable {
        case payment, refund, reversal
    }

    /// The idempotency key.
    public let id: String
    public let kind: Kind
    /// Required for payments; refunds and reversals take it from their original.
    public let account: String?
    public let occurredAt: Timestamp
    /// Minor units of `currency`; `nil` only for reversals.
    public let amount: Int?
    public let currency: Currency?
    public let merchant: Merchant?
    public let originalAmount: Int?
    public let originalCurrency: Currency?
    /// The payment a refund or reversal refers to.
    public let originalID: String?

    public init(
        id: String, kind: Kind, account: String?, occurredAt: Timestamp, amount: Int?, currency: Currency?,
        merchant: Merchant?, originalAmount: Int? = nil, originalCurrency: Currency? = nil, originalID: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.account = account
        self.occurredAt = occurredAt
        self.amount = amount
        self.currency = currency
        self.merchant = merchant
        self.originalAmount = originalAmount
        self.originalCurrency = originalCurrency
        self.originalID = originalID
    }

    /// `original_currency` is present and differs from `currency`.
    public var isForeign: Bool {
        guard let originalCurrency else { return false }
        return originalCurrency != currency
    }

    /// The event's content for duplicate detection: its known fields after defaults, amounts by
    /// value and `occurred_at` by instant (SPEC §8). Two events with one id and equal
    /// fingerprints are duplicates; unequal ones conflict. Each field is written with its length
    /// (absent fields as `-`), so the text is unambiguous whatever the fields contain.
    public var fingerprint: String {
        let fields: [String?] = [
            kind.rawValue, account, "\(occurredAt.epochSeconds).\(occurredAt.nanoseconds)", amount.map(String.init),
            currency?.code, merchant?.mid, merchant?.siret, merchant?.name, merchant?.mcc, merchant?.country,
            merchant?.channel?.rawValue, merchant == nil ? nil : "m", originalAmount.map(String.init), originalCurrency?.code,
            originalID,
        ]
        var text = ""
        for field in fields {
            if let field {
                text += "\(field.utf8.count):\(field)"
            } else {
                text += "-"
            }
        }
        return text
    }
}
