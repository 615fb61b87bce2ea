/// Everything evaluation remembers between events: ids seen, payments (for refunds), limit
/// usage, per-account facts and waiting orphans. The in-memory state serves `dry-run`; the
/// SQLite store implements the same interface for the service.
///
/// Every method may throw the storage's error (the in-memory state never does). Evaluation
/// stops at the first: an error is never taken for "not seen" or "nothing used", and the caller
/// keeps nothing of what the state did since its last commit.
public protocol EvaluationState: PaymentHistoryRecorder {
    /// What was recorded for an id, if it was seen.
    func seenEvent(_ id: String) throws -> SeenEvent?
    func recordSeen(_ id: String, _ seen: SeenEvent) throws

    /// A processed payment, for its refunds.
    func payment(_ id: String) throws -> PaymentRecord?
    func savePayment(_ record: PaymentRecord) throws
    /// Records a new payment: its id seen, and its record. A state may do both at once; the
    /// default does `recordSeen`, then `savePayment`.
    func recordPayment(_ record: PaymentRecord, seen: SeenEvent) throws

    /// A limit's usage so far (zero when never used).
    func usage(_ key: UsageKey) throws -> Usage
    /// Adds to a limit's usage (negative amounts and counts give usage back).
    func addUsage(_ key: UsageKey, amount: Int, count: Int) throws

    /// A copy of the history of some accounts, for evaluators that assess them in parallel;
    /// spend only when `includingSpend` (the rules read it).
    func historySnapshot(accounts: Set<String>, includingSpend: Bool) throws -> HistorySnapshot

    /// Keeps a refund or reversal whose original is unknown.
    func addOrphan(_ orphan: Orphan) throws
    /// Removes and returns, in arrival order, the orphans waiting for a payment.
    func takeOrphans(waitingFor paymentID: String) throws -> [Orphan]
}

extension EvaluationState {
    public func recordPayment(_ record: PaymentRecord, seen: SeenEvent) throws {
        try recordSeen(record.id, seen)
        try savePayment(record)
    }
}

/// A payment history that can also be added to: the part of the state the scheduler's parallel
/// assessment keeps per account.
public protocol PaymentHistoryRecorder: PaymentHistory {
    /// Records a processed payment in the account's history at `partner` (`nil`: anywhere), its
    /// spend counted on its local `day` (days since the epoch).
    func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, day: Int) throws
}

/// What is remembered of an id: the kind of event and its content fingerprint.
public struct SeenEvent: Sendable, Equatable {
    public let kind: Event.Kind
    public let fingerprint: Fingerprint

    public init(kind: Event.Kind, fingerprint: Fingerprint) {
        self.kind = kind
        self.fingerprint = fingerprint
    }
}

/// A refund or reversal waiting for its original payment.
public struct Orphan: Sendable {
    public let clawback: Event.Clawback
    public let origin: EventOrigin

    public init(_ clawback: Event.Clawback, origin: EventOrigin) {
        self.clawback = clawback
        self.origin = origin
    }

    public var event: Event { clawback.event }
    /// The payment it waits for.
    public var originalID: String { clawback.originalID }
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
