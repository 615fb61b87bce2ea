/// A cap on the sum (`max`) and/or number (`count`) of rewarded payments under a rule, a partner
/// or the programme (SPEC §3.4).
///
/// A class, immutable once loaded, for the reason `Partner` is one.
public final class Limit: Sendable {
    /// Whose usage is counted together.
    public enum Per: String, Sendable {
        case account, all, payment
    }

    /// A stable name for the usage it keeps, e.g. `decathlon/base#limit1`, `decathlon#budget`.
    public let id: String
    public let per: Per
    /// `nil` only for `per: payment`.
    public let period: Period?
    /// Minor units of the declaring file's currency.
    public let max: Int?
    public let count: Int?
    /// The declaring file's zone: periods are its local calendar.
    public let zone: Zone
    /// How it was written, for traces: `account/month max 20.00`.
    public let summary: String

    public init(id: String, per: Per, period: Period?, max: Int?, count: Int?, zone: Zone, summary: String) {
        self.id = id
        self.per = per
        self.period = period
        self.max = max
        self.count = count
        self.zone = zone
        self.summary = summary
    }

    /// Where this limit's usage is kept for a payment, `nil` for `per: payment` (nothing is kept).
    public func usageKey(account: String, at instant: Timestamp) -> UsageKey? {
        guard let period, per != .payment else { return nil }
        let periodKey = period.key(for: zone.localTime(instant).date)
        return UsageKey(limit: id, account: per == .account ? account : nil, period: periodKey)
    }

    /// What is left for a payment given the usage so far: `max − used`, 0 once `count` is reached.
    public func remaining(given usage: Usage) -> Int {
        if let count, usage.count >= count { return 0 }
        guard let max else { return Int.max }
        let (left, overflow) = max.subtractingReportingOverflow(usage.amount)
        // Usage never falls below 0 (clawbacks give back only what was added), so `overflow`
        // would mean a usage below `max − Int.max`: nothing is used, everything is left.
        return overflow ? max : Swift.max(0, left)
    }
}

/// The key of one limit's usage: the limit, the account (for `per: account`), the period.
public struct UsageKey: Hashable, Sendable, CustomStringConvertible {
    public let limit: String
    public let account: String?
    public let period: PeriodKey

    public init(limit: String, account: String?, period: PeriodKey) {
        self.limit = limit
        self.account = account
        self.period = period
    }

    public var description: String { "\(limit)[\(account ?? "*")|\(period)]" }
}

/// How much of a limit has been used: the amount and the number of rewarded payments.
public struct Usage: Sendable, Equatable {
    public var amount: Int
    public var count: Int

    public init(amount: Int = 0, count: Int = 0) {
        self.amount = amount
        self.count = count
    }

    public static let zero = Usage()
}
