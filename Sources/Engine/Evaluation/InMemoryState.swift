/// Evaluation state in memory: what `dry-run` and `diff` start from, fresh each run.
public final class InMemoryState: EvaluationState {
    /// What is kept of an id: one table for ids seen and payments, as a payment is both. The
    /// records themselves are packed apart, and an entry packs what it holds into 40 bytes (a
    /// `SeenEvent?` and an `Int?` side by side take 56): the table has a slot for every id.
    private struct Entry {
        /// Stands for the fingerprint of an id not seen.
        private static let unseen = Fingerprint(canonicalText: "")

        /// The seen event's fingerprint (`unseen` when none was).
        private var fingerprint = Entry.unseen
        /// The seen event's kind in the low 2 bits (1 payment, 2 refund, 3 reversal; 0: not
        /// seen), the payment record's position plus one above them (0: none).
        private var bits = 0

        var seen: SeenEvent? {
            get {
                let kind: Event.Kind
                switch bits & 0b11 {
                case 1: kind = .payment
                case 2: kind = .refund
                case 3: kind = .reversal
                default: return nil
                }
                return SeenEvent(kind: kind, fingerprint: fingerprint)
            }
            set {
                fingerprint = newValue?.fingerprint ?? Entry.unseen
                let code =
                    switch newValue?.kind {
                    case .payment: 1
                    case .refund: 2
                    case .reversal: 3
                    case nil: 0
                    }
                bits = bits & ~0b11 | code
            }
        }

        /// Where the payment's record starts in `payments`.
        var payment: Int? {
            get { bits >> 2 == 0 ? nil : (bits >> 2) - 1 }
            set { bits = bits & 0b11 | ((newValue.map { $0 + 1 } ?? 0) << 2) }
        }
    }

    private var entries: IdTable<Entry>
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
        entries = IdTable(expectedCount: expectedEvents)
        payments = PackedPaymentRecords(expectedRecords: expectedEvents)
    }

    public func seenEvent(_ id: String) -> SeenEvent? { entries[id]?.seen }
    public func recordSeen(_ id: String, _ event: SeenEvent) { entries.update(id, default: Entry()) { $0.seen = event } }

    public func payment(_ id: String) -> PaymentRecord? {
        entries[id]?.payment.map { payments.record(at: $0, id: id) }
    }

    public func recordPayment(_ record: PaymentRecord, seen: SeenEvent) {
        var entry = Entry()
        entry.seen = seen
        entry.payment = payments.append(record)
        entries.set(entry, for: record.id)
    }

    public func savePayment(_ record: PaymentRecord) {
        let position = payments.append(record)
        entries.update(record.id, default: Entry()) { $0.payment = position }
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
