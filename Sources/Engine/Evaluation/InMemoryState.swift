/// Evaluation state in memory: what `dry-run` and `diff` start from, fresh each run.
public final class InMemoryState: EvaluationState {
    private var seen: [String: SeenEvent] = [:]
    private var payments: [String: PaymentRecord] = [:]
    private var usages: [UsageKey: Usage] = [:]
    private var purchases: Set<PurchaseKey> = []
    private var spends: [SpendKey: Int] = [:]
    private var orphans: [String: [Orphan]] = [:]

    public init() {}

    private struct PurchaseKey: Hashable {
        let account: String
        let partner: String?
    }

    private struct SpendKey: Hashable {
        let account: String
        let partner: String?
        let currency: String
        let period: PeriodKey
    }

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

    public func hasEarlierPayment(account: String, at partner: String?) -> Bool {
        purchases.contains(PurchaseKey(account: account, partner: partner))
    }

    public func spend(account: String, at partner: String?, currency: Currency, period: PeriodKey) -> Int {
        spends[SpendKey(account: account, partner: partner, currency: currency.code, period: period)] ?? 0
    }

    public func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, periods: [PeriodKey]) {
        purchases.insert(PurchaseKey(account: account, partner: partner))
        for period in periods {
            spends[SpendKey(account: account, partner: partner, currency: currency.code, period: period), default: 0] += amount
        }
    }

    public func addOrphan(_ orphan: Orphan) {
        orphans[orphan.event.originalID ?? "", default: []].append(orphan)
    }

    public func takeOrphans(waitingFor paymentID: String) -> [Orphan] {
        guard let waiting = orphans.removeValue(forKey: paymentID) else { return [] }
        return waiting
    }

    /// Orphans whose original has not arrived, in no particular order.
    public var unresolvedOrphans: [Orphan] { orphans.values.flatMap { $0 } }
}
