/// Accounts' payment history in memory: which accounts paid where, and their gross spend per
/// period. The in-memory state keeps one for every account; the scheduler gives each
/// evaluator one for the accounts of its partition.
public final class InMemoryHistory: PaymentHistoryRecorder {
    private var snapshot: HistorySnapshot

    public init(_ snapshot: HistorySnapshot = HistorySnapshot()) { self.snapshot = snapshot }

    public func hasEarlierPayment(account: String, at partner: String?) -> Bool {
        snapshot.purchases.contains(PurchaseKey(account: account, partner: partner))
    }

    public func spend(account: String, at partner: String?, currency: Currency, period: PeriodKey) -> Int {
        snapshot.spends[SpendKey(account: account, partner: partner, currency: currency.code, period: period)] ?? 0
    }

    public func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, periods: [PeriodKey]) {
        snapshot.purchases.insert(PurchaseKey(account: account, partner: partner))
        for period in periods {
            snapshot.spends[SpendKey(account: account, partner: partner, currency: currency.code, period: period), default: 0] += amount
        }
    }

    /// The part of the history that concerns `accounts`.
    public func snapshot(accounts: Set<String>) -> HistorySnapshot {
        HistorySnapshot(
            purchases: snapshot.purchases.filter { accounts.contains($0.account) },
            spends: snapshot.spends.filter { accounts.contains($0.key.account) })
    }
}

/// A copy of some accounts' history, handed to a parallel evaluator.
public struct HistorySnapshot: Sendable {
    public var purchases: Set<PurchaseKey>
    public var spends: [SpendKey: Int]

    public init(purchases: Set<PurchaseKey> = [], spends: [SpendKey: Int] = [:]) {
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

/// An account's gross spend at a partner (`nil`: anywhere) in a currency and period.
public struct SpendKey: Hashable, Sendable {
    public let account: String
    public let partner: String?
    public let currency: String
    public let period: PeriodKey

    public init(account: String, partner: String?, currency: String, period: PeriodKey) {
        self.account = account
        self.partner = partner
        self.currency = currency
        self.period = period
    }
}
