/// A payment as plugins see it while a rule is evaluated: the event, the attributed partner,
/// its local time in the rule file's zone, and read-only access to the account's history.
public struct Payment {
    public let event: Event.Payment
    /// The amount in minor units of `currency`.
    public var amount: Int { event.amount }
    public var currency: Currency { event.currency }
    public var account: String { event.account }
    public var merchant: Merchant { event.merchant }
    /// The partner the payment was attributed to, if any.
    public let partner: String?
    /// `occurred_at` on the wall clock of the rule file's time zone.
    public let local: LocalTime
    /// Whose rule is being evaluated.
    public let scope: RuleScope
    let history: any PaymentHistory

    public init(event: Event.Payment, partner: String?, local: LocalTime, scope: RuleScope, history: any PaymentHistory) {
        self.event = event
        self.partner = partner
        self.local = local
        self.scope = scope
        self.history = history
    }

    /// No earlier-processed payment of this account at the rule's partner (programme rules:
    /// no earlier payment at all), refunded or not.
    ///
    /// The history's reads throw when the storage behind them fails; let the error go (the
    /// engine then stops the whole batch, and does not count it against the plugin).
    public var isFirstPurchase: Bool {
        get throws { try earlierPaymentCount == 0 }
    }

    /// How many payments of this account were processed before this one at the rule's partner
    /// (programme rules: anywhere), refunded or not.
    public var earlierPaymentCount: Int {
        get throws { try history.earlierPaymentCount(account: account, at: scope.partnerID) }
    }

    /// The account's gross spend before this payment at the rule's partner (programme rules:
    /// anywhere), in this payment's currency, in the `period` that holds this payment.
    public func earlierSpend(in period: Period) throws -> Int {
        try history.spend(account: account, at: scope.partnerID, currency: currency, days: period.key(for: local.date).days)
    }
}

/// Read-only facts about the payments processed so far, the part of the evaluation state that
/// plugins may consult. Reads throw the storage's error when it fails.
public protocol PaymentHistory: AnyObject {
    /// How many earlier payments the account made at `partner` (`nil`: anywhere).
    func earlierPaymentCount(account: String, at partner: String?) throws -> Int
    /// The account's gross spend at `partner` (`nil`: anywhere) in `currency` on the local days
    /// `days` (days since the epoch in the zone of the partner's file; `nil`: the programme's).
    /// A sum beyond `Int.max` may be reported as `Int.max`.
    func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) throws -> Int
    /// Whether a read may throw (true unless the history says otherwise). The evaluator watches
    /// the reads of a history that may fail, so that a storage failure is never taken for the
    /// plugin's.
    var readsMayFail: Bool { get }
}

extension PaymentHistory {
    public var readsMayFail: Bool { true }
}
