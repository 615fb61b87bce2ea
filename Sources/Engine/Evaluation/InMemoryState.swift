/// Evaluation state in memory: what `dry-run` and `diff` start from, fresh each run.
public final class InMemoryState: EvaluationState {
    /// What is kept of an id: one table for ids seen and payments, as a payment is both. The
    /// records themselves are kept apart, so that the table's entries stay small.
    private struct Entry {
        var seen: SeenEvent?
        /// The payment's place in `payments`.
        var payment: Int?
    }

    private var entries: [String: Entry] = [:]
    private var payments: [PaymentRecord] = []
    private var usages: [UsageKey: Usage] = [:]
    private let history: InMemoryHistory
    private var orphans: [String: [Orphan]] = [:]

    /// A fresh state. `recordingSpend: false` skips the spend history, for a run whose rules
    /// never read it (`RuleSet.readsSpendHistory` is false): `spend` then answers 0.
    /// `expectedEvents` sizes the tables of ids and payments for about that many events at
    /// once, so that they do not grow (and move) again and again.
    public init(recordingSpend: Bool = true, expectedEvents: Int = 0) {
        history = InMemoryHistory(recordingSpend: recordingSpend)
        entries.reserveCapacity(expectedEvents)
        payments.reserveCapacity(expectedEvents)
    }

    public func seenEvent(_ id: String) -> SeenEvent? { entries[id]?.seen }
    public func recordSeen(_ id: String, _ event: SeenEvent) { entries[id, default: Entry()].seen = event }

    public func payment(_ id: String) -> PaymentRecord? { entries[id]?.payment.map { payments[$0] } }

    public func recordPayment(_ record: PaymentRecord, seen: SeenEvent) {
        entries[record.id] = Entry(seen: seen, payment: payments.count)
        payments.append(record)
    }

    public func savePayment(_ record: PaymentRecord) {
        if let index = entries[record.id]?.payment {
            payments[index] = record
        } else {
            entries[record.id, default: Entry()].payment = payments.count
            payments.append(record)
        }
    }

    public func usage(_ key: UsageKey) -> Usage { usages[key] ?? .zero }

    public func addUsage(_ key: UsageKey, amount: Int, count: Int) {
        var usage = usages[key] ?? .zero
        usage.amount += amount
        usage.count += count
        usages[key] = usage
    }

    /// Reads of memory do not fail.
    public var readsMayFail: Bool { false }

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
        // Most runs have no orphan waiting: no need to hash the id.
        guard !orphans.isEmpty else { return [] }
        return orphans.removeValue(forKey: paymentID) ?? []
    }

    /// Orphans whose original has not arrived, in no particular order.
    public var unresolvedOrphans: [Orphan] { orphans.values.flatMap { $0 } }
}
