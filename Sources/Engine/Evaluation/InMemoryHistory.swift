/// Accounts' payment history in memory: how often accounts paid where, and their gross spend per
/// local day. The in-memory state keeps one for every account; the scheduler gives each
/// evaluator one for the accounts of its partition.
public final class InMemoryHistory: PaymentHistoryRecorder {
    /// One account's history. A reference, so that the account used last stays at hand: a
    /// payment reads and adds to its account's history several times in a row.
    private final class Account {
        /// How many payments anywhere.
        var payments = 0
        /// How many payments at each partner.
        var paymentsAt: [String: Int] = [:]
        /// Gross spend by scope, then by local day (days since the epoch).
        var spends: [Scope: [Int: Int]] = [:]
    }

    /// Whose spend within an account: at a partner (`nil`: anywhere) in a currency.
    private struct Scope: Hashable {
        let partner: String?
        let currency: String
    }

    private var accounts: [String: Account] = [:]
    private var lastUsed: (id: String, account: Account)?
    /// What `recordPurchase` records (see `InMemoryState.init`); a part not kept reads as 0.
    private let kept: HistoryParts

    public init(_ snapshot: HistorySnapshot = HistorySnapshot(), keeping kept: HistoryParts = .all) {
        self.kept = kept
        for (key, count) in snapshot.purchases {
            let account = account(key.account)
            if let partner = key.partner { account.paymentsAt[partner] = count } else { account.payments = count }
        }
        for (scope, byDay) in snapshot.spends {
            account(scope.account).spends[Scope(partner: scope.partner, currency: scope.currency)] = byDay
        }
    }

    /// The account's history, if it has one.
    private func existing(_ id: String) -> Account? {
        if let lastUsed, lastUsed.id == id { return lastUsed.account }
        guard let found = accounts[id] else { return nil }
        lastUsed = (id, found)
        return found
    }

    /// The account's history, made empty when it has none.
    private func account(_ id: String) -> Account {
        if let found = existing(id) { return found }
        let created = Account()
        accounts[id] = created
        lastUsed = (id, created)
        return created
    }

    /// Reads of memory do not fail.
    public var readsMayFail: Bool { false }

    public func earlierPaymentCount(account: String, at partner: String?) -> Int {
        guard let account = existing(account) else { return 0 }
        guard let partner else { return account.payments }
        return account.paymentsAt[partner] ?? 0
    }

    public func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) -> Int {
        InMemoryHistory.spend(existing(account)?.spends[Scope(partner: partner, currency: currency.code)], days: days)
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

    public func recordPurchase(account id: String, at partner: String?, currency: Currency, amount: Int, day: Int) {
        guard !kept.isEmpty else { return }
        let account = account(id)
        if kept.contains(.paymentCounts) {
            if let partner { account.paymentsAt[partner, default: 0] += 1 } else { account.payments += 1 }
        }
        guard kept.contains(.spend) else { return }
        InMemoryHistory.add(
            amount, to: &account.spends[Scope(partner: partner, currency: currency.code), default: [:]][day, default: 0])
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
    public func snapshot(accounts ids: Set<String>, includingSpend: Bool) -> HistorySnapshot {
        var snapshot = HistorySnapshot()
        for id in ids {
            guard let account = accounts[id] else { continue }
            if account.payments > 0 { snapshot.purchases[PurchaseKey(account: id, partner: nil)] = account.payments }
            for (partner, count) in account.paymentsAt {
                snapshot.purchases[PurchaseKey(account: id, partner: partner)] = count
            }
            guard includingSpend else { continue }
            for (scope, byDay) in account.spends {
                snapshot.spends[SpendScope(account: id, partner: scope.partner, currency: scope.currency)] = byDay
            }
        }
        return snapshot
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
