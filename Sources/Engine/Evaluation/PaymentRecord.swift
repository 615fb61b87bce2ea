/// A processed payment as refunds need it: its lines, the usage they took, and what was
/// refunded and clawed back so far.
public struct PaymentRecord: Sendable, Equatable {
    public let id: String
    public let account: String
    public let partner: String?
    public let currency: Currency
    public let amount: Int
    public let occurredAt: Timestamp
    /// Non-zero lines, in evaluation order.
    public var lines: SmallArray<RecordedLine>
    /// The usage keys whose count this payment incremented.
    public let countKeys: SmallArray<UsageKey>
    /// The cumulative refunded amount (may exceed `amount`; the excess is ignored).
    public var refunded: Int
    /// Whether a full refund or reversal has given the counts back.
    public var countsReleased: Bool

    public init(
        id: String, account: String, partner: String?, currency: Currency, amount: Int, occurredAt: Timestamp,
        lines: SmallArray<RecordedLine>, countKeys: SmallArray<UsageKey>, refunded: Int = 0, countsReleased: Bool = false
    ) {
        self.id = id
        self.account = account
        self.partner = partner
        self.currency = currency
        self.amount = amount
        self.occurredAt = occurredAt
        self.lines = lines
        self.countKeys = countKeys
        self.refunded = refunded
        self.countsReleased = countsReleased
    }
}

/// One awarded line of a payment.
public struct RecordedLine: Sendable, Equatable {
    /// `partner/rule` or `program/rule`.
    public let rule: String
    /// Minor units awarded.
    public let amount: Int
    /// Minor units clawed back so far.
    public var clawedBack: Int
    /// Every limit usage the line counted toward: its rule's, its partner's, the programme's.
    public let usageKeys: SmallArray<UsageKey>

    public init(rule: String, amount: Int, clawedBack: Int = 0, usageKeys: SmallArray<UsageKey>) {
        self.rule = rule
        self.amount = amount
        self.clawedBack = clawedBack
        self.usageKeys = usageKeys
    }
}
