/// Everything evaluation remembers between events: ids seen, payments (for refunds), limit
/// usage, per-account facts and waiting orphans. The in-memory state serves `dry-run`; the
/// SQLite store implements the same interface for the service.
public protocol EvaluationState: PaymentHistoryRecorder {
    /// What was recorded for an id, if it was seen.
    func seenEvent(_ id: String) -> SeenEvent?
    func recordSeen(_ id: String, _ seen: SeenEvent)

    /// A processed payment, for its refunds.
    func payment(_ id: String) -> PaymentRecord?
    func savePayment(_ record: PaymentRecord)

    /// A limit's usage so far (zero when never used).
    func usage(_ key: UsageKey) -> Usage
    /// Adds to a limit's usage (negative amounts and counts give usage back).
    func addUsage(_ key: UsageKey, amount: Int, count: Int)

    /// A copy of the history of some accounts, for evaluators that assess them in parallel;
    /// spend only when `includingSpend` (the rules read it).
    func historySnapshot(accounts: Set<String>, includingSpend: Bool) -> HistorySnapshot

    /// Keeps a refund or reversal whose original is unknown.
    func addOrphan(_ orphan: Orphan)
    /// Removes and returns, in arrival order, the orphans waiting for a payment.
    func takeOrphans(waitingFor paymentID: String) -> [Orphan]
}

/// A payment history that can also be added to: the part of the state the scheduler's parallel
/// assessment keeps per account.
public protocol PaymentHistoryRecorder: PaymentHistory {
    /// Records a processed payment in the account's history at `partner` (`nil`: anywhere), its
    /// spend counted on its local `day` (days since the epoch).
    func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, day: Int)
}

/// What is remembered of an id: the kind of event and its content fingerprint.
public struct SeenEvent: Sendable, Equatable {
    public let kind: Event.Kind
    public let fingerprint: String

    public init(kind: Event.Kind, fingerprint: String) {
        self.kind = kind
        self.fingerprint = fingerprint
    }
}

/// A refund or reversal waiting for its original payment.
public struct Orphan: Sendable {
    public let event: Event
    public let origin: EventOrigin

    public init(event: Event, origin: EventOrigin) {
        self.event = event
        self.origin = origin
    }
}

/// Where an event came from: its file and physical line when it came from a file, its position
/// when it came through the durable queue.
public struct EventOrigin: Sendable, Equatable {
    public let file: String?
    public let line: Int?
    /// The queue position, for events read from the queue.
    public let sequence: Int64?

    public init(file: String? = nil, line: Int? = nil, sequence: Int64? = nil) {
        self.file = file
        self.line = line
        self.sequence = sequence
    }

    public static let none = EventOrigin()
}
