/// Accounts' payment history in memory: how often accounts paid where, and their gross spend per
/// local day. The in-memory state keeps one for every account; the scheduler gives each
/// evaluator one for the accounts of its partition.
public final class InMemoryHistory: PaymentHistoryRecorder {
    private var snapshot: HistorySnapshot
    /// Whether `recordPurchase` adds to the spend history (see `InMemoryState.init`).
    private let recordingSpend: Bool

    public init(_ snapshot: HistorySnapshot = HistorySnapshot(), recordingSpend: Bool = true) {
        self.snapshot = snapshot
        self.recordingSpend = recordingSpend
    }

    public func earlierPaymentCount(account: String, at partner: String?) -> Int {
        snapshot.purchases[PurchaseKey(account: account, partner: partner)] ?? 0
    }

    public func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) -> Int {
        InMemoryHistory.spend(
            snapshot.spends[SpendScope(account: account, partner: partner, currency: currency.code)], days: days)
    }

    /// The spend of `days` in a scope's spend by day.
    public static func spend(_ byDay: [Int: Int]?, days: ClosedRange<Int>) -> Int {
        guard let byDay else { return 0 }
        // Look the days up one by one when there are fewer of them than recorded days.
        let (span, overflow) = days.upperBound.subtractingReportingOverflow(days.lowerBound)
        if !overflow && span < byDay.count {
            return days.reduce(0) { InMemoryHistory.saturatingSum($0, byDay[$1] ?? 0) }
        }
        return byDay.reduce(0) { days.contains($1.key) ? InMemoryHistory.saturatingSum($0, $1.value) : $0 }
    }

    public func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, day: Int) {
        snapshot.purchases[PurchaseKey(account: account, partner: partner), default: 0] += 1
        guard recordingSpend else { return }
        let scope = SpendScope(account: account, partner: partner, currency: currency.code)
        InMemoryHistory.add(amount, to: &snapshot.spends[scope, default: [:]][day, default: 0])
    }

    /// Adds to a spend in place (one lookup of its scope and day), saturating like `saturatingSum`.
    private static func add(_ amount: Int, to spend: inout Int) {
        spend = saturatingSum(spend, amount)
    }

    /// Spend adds up without trapping: past `Int.max` (some 9 million payments of 10^12 minor
    /// units) it stays at `Int.max`. No decision changes: spend is only compared with tier
    /// bounds, which are at most 10^12, so every sum beyond them picks the same tier.
    public static func saturatingSum(_ lhs: Int, _ rhs: Int) -> Int {
        let (sum, overflow) = lhs.addingReportingOverflow(rhs)
        guard overflow else { return sum }
        return rhs > 0 ? Int.max : Int.min
    }

    /// The part of the history that concerns `accounts`.
    public func snapshot(accounts: Set<String>, includingSpend: Bool) -> HistorySnapshot {
        HistorySnapshot(
            purchases: snapshot.purchases.filter { accounts.contains($0.key.account) },
            spends: includingSpend ? snapshot.spends.filter { accounts.contains($0.key.account) } : [:])
    }
}

/// A copy of some accounts' history, handed to a parallel evaluator.
public struct HistorySnapshot: Sendable {
    /// How many payments each account made at each partner (`nil`: anywhere).
    public var purchases: [PurchaseKey: Int]
    /// Gross spend by local day (days since the epoch).
    public var spends: [SpendScope: [Int: Int]]

    public init(purchases: [PurchaseKey: Int] = [:], spends: [SpendScope: [Int: Int]] = [:]) {
        self.purchases = purchases
        self.spends = spends
    }
}

/// An account that has paid at a partner (`nil`: anywhere).
public struct PurchaseKey: Hashable, Sendable {
    public let account: String
    public let partner: String?

    public init(account: String, partner: String?) {
        self.account = account
        self.partner = partner
    }
}

/// Whose spend: an account at a partner (`nil`: anywhere) in a currency.
public struct SpendScope: Hashable, Sendable {
    public let account: String
    public let partner: String?
    public let currency: String

    public init(account: String, partner: String?, currency: String) {
        self.account = account
        self.partner = partner
        self.currency = currency
    }
}
