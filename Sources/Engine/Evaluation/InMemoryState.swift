/// Evaluation state in memory: what `dry-run` and `diff` start from, fresh each run.
public final class InMemoryState: EvaluationState {
    private var seen: [String: SeenEvent] = [:]
    private var payments: [String: PaymentRecord] = [:]
    private var usages: [UsageKey: Usage] = [:]
    private let history = InMemoryHistory()
    private var orphans: [String: [Orphan]] = [:]

    public init() {}

    public func seenEvent(_ id: String) -> SeenEvent? { seen[id] }
    public func recordSeen(_ id: String, _ event: SeenEvent) { seen[id] = event }

    public func payment(_ id: String) -> PaymentRecord? { payments[id] }
    public func savePayment(_ record: PaymentRecord) { payments[record.id] = record }

    public func usage(_ key: UsageKey) -> Usage { usages[key] ?? .zero }

    public func addUsage(_ key: UsageKey, amount: Int, count: Int) {
        var usage = usages[key] ?? .zero
        usage.amount += amount
        usage.count += count
        usages[key] = usage
    }

    public func earlierPaymentCount(account: String, at partner: String?) -> Int {
        history.earlierPaymentCount(account: account, at: partner)
    }

    public func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) -> Int {
        history.spend(account: account, at: partner, currency: currency, days: days)
    }

    public func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, day: Int) {
        history.recordPurchase(account: account, at: partner, currency: currency, amount: amount, day: day)
    }

    public func historySnapshot(accounts: Set<String>, includingSpend: Bool) -> HistorySnapshot {
        history.snapshot(accounts: accounts, includingSpend: includingSpend)
    }

    public func addOrphan(_ orphan: Orphan) {
        orphans[orphan.originalID, default: []].append(orphan)
    }

    public func takeOrphans(waitingFor paymentID: String) -> [Orphan] {
        orphans.removeValue(forKey: paymentID) ?? []
    }

    /// Orphans whose original has not arrived, in no particular order.
    public var unresolvedOrphans: [Orphan] { orphans.values.flatMap { $0 } }
}
