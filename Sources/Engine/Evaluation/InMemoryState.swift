/// Evaluation state in memory: what `dry-run` and `diff` start from, fresh each run.
public final class InMemoryState: EvaluationState {
    /// What is kept of an id: one table for ids seen and payments, as a payment is both. The
    /// records themselves are packed apart, so that the table's entries stay small.
    private struct Entry {
        var seen: SeenEvent?
        /// Where the payment's record starts in `payments`.
        var payment: Int?
    }

    private var entries: [String: Entry] = [:]
    private var payments: PackedPaymentRecords
    private var usages: [UsageKey: Usage] = [:]
    private let history: InMemoryHistory
    /// The parts of the history kept: reading another throws `HistoryPartNotKept`.
    private let kept: HistoryParts
    private var orphans: [String: [Orphan]] = [:]

    /// A fresh state. It keeps the parts of the history in `kept`, for a run whose rules read
    /// no others (`RuleSet.historyRead`): payments are neither counted nor added to spend when
    /// nothing reads them, and reading what is not kept throws `HistoryPartNotKept`.
    /// `expectedEvents` sizes the tables of ids and payments for about that many events at
    /// once, so that they do not grow (and move) again and again.
    public init(keeping kept: HistoryParts = .all, expectedEvents: Int = 0) {
        self.kept = kept
        history = InMemoryHistory(keeping: kept)
        entries.reserveCapacity(expectedEvents)
        payments = PackedPaymentRecords(expectedRecords: expectedEvents)
    }

    public func seenEvent(_ id: String) -> SeenEvent? { entries[id]?.seen }
    public func recordSeen(_ id: String, _ event: SeenEvent) { entries[id, default: Entry()].seen = event }

    public func payment(_ id: String) -> PaymentRecord? {
        entries[id]?.payment.map { payments.record(at: $0, id: id) }
    }

    public func recordPayment(_ record: PaymentRecord, seen: SeenEvent) {
        entries[record.id] = Entry(seen: seen, payment: payments.append(record))
    }

    public func savePayment(_ record: PaymentRecord) {
        entries[record.id, default: Entry()].payment = payments.append(record)
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

    public func earlierPaymentCount(account: String, at partner: String?) throws -> Int {
        guard kept.contains(.paymentCounts) else { throw HistoryPartNotKept(part: .paymentCounts) }
        return history.earlierPaymentCount(account: account, at: partner)
    }

    public func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) throws -> Int {
        guard kept.contains(.spend) else { throw HistoryPartNotKept(part: .spend) }
        return history.spend(account: account, at: partner, currency: currency, days: days)
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
