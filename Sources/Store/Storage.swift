import Engine

/// The durable store of a cashback host as the service uses it: the queue, batch processing,
/// the ledger and its credits feed, and the queries of the API. `SQLiteStore` implements it; a
/// second backend implements the same requirements, and the service runs on either.
package protocol Storage: Sendable {
    /// The database as the user named it (a path, or a URL without its password), for messages.
    var name: String { get }

    // MARK: the queue

    /// Stores each group of valid events in the durable queue, each group all or nothing (a
    /// conflict stores nothing of its group), in one transaction; returns once it is durable.
    func enqueue(groups: [[IncomingEvent]], now: Timestamp) async throws -> [Result<EnqueueResult, EnqueueConflict>]
    /// How many accepted events are not processed yet.
    func queueDepth() async throws -> Int
    /// When the oldest unprocessed event was accepted (Unix seconds), if any.
    func oldestQueuedAcceptance() async throws -> Int64?

    // MARK: processing

    /// Records a rules version with a snapshot of its files (once per version).
    func recordRulesVersion(_ version: String, files: [RuleSource], now: Timestamp) async throws
    /// Claims up to `limit` queued events, evaluates them and commits everything they change in
    /// one transaction: a batch is wholly applied or not at all. A backend gets it from the three
    /// steps of `BatchStore`.
    func processBatch(
        limit: Int, evaluator: BatchEvaluator, rulesVersion: String, confirmAfter: Int64, now: Timestamp
    ) async throws -> BatchSummary
    /// Confirms the ledger lines due at `now` into the credits feed; returns how many.
    func confirmDue(now: Timestamp) async throws -> Int

    // MARK: queries

    /// Where an accepted event is: queued, processed (with its decision), orphan or dead.
    func status(ofEvent id: String) async throws -> EventStatus?
    /// An account's balances per currency and its most recent ledger lines.
    func account(_ id: String, recent: Int) async throws -> (balances: [AccountBalance], lines: [LedgerLine])
    /// A partner's figures per currency (SPEC §5.1), as the batches counted them.
    func stats(ofPartner id: String) async throws -> [PartnerStats]
    /// The budget the partner's own lines used in `currency`, net of clawbacks, per day of
    /// processing (UTC days since 1970) from `fromDay` on.
    func budgetUse(ofPartner id: String, currency: String, fromDay: Int64) async throws -> [Int64: Int]
    /// The credits feed's identity, fixed when the database was created: a consumer that sees it
    /// change is reading a restored or different database, whose cursors are not its own.
    func feedID() async throws -> String
    /// The credits feed after `cursor`, at most `limit` entries.
    func credits(after cursor: Int64, limit: Int) async throws -> [Credit]

    // MARK: the commands

    /// Verifies the stored pages where the backend keeps them itself (SQLite's `quick_check`,
    /// `integrity_check` when `full`); a damaged database throws a `StoreError`. PostgreSQL
    /// checks its own pages.
    func check(full: Bool) throws
    /// Streams events into the queue in one transaction, all or nothing (`enqueue`): `produce`
    /// hands each event to the function it is given, in order.
    func enqueueStreaming(now: Timestamp, _ produce: (_ add: (IncomingEvent) throws -> Void) throws -> Void) throws
        -> Result<EnqueueResult, EnqueueConflict>
    /// Calls `body` with every stored decision in processing order (`decisions`).
    func forEachDecision(_ body: (StoredDecision) throws -> Void) throws
    /// The stored decision of an event (its own, not a duplicate's): position and JSON.
    func ownDecision(ofEvent id: String) async throws -> (position: Int64, json: String)?
    /// Every processed queue entry, in processing order, through the entry whose decisions
    /// include position `lastPosition` (`explain --replay`).
    func processedEntries(throughDecision lastPosition: Int64) async throws -> [ProcessedEntry]
    /// The files of a recorded rules version.
    func rulesSnapshot(_ version: String) async throws -> [RuleSource]?
    /// The rules version recorded last, if any.
    func newestRulesVersion() async throws -> String?
    /// Every recorded rules version, in the order they were first recorded.
    func rulesVersions() async throws -> [RecordedRulesVersion]
    /// The partner's own ledger entries that became payable from `from` until before `until`
    /// (`StatementEntry`), in ledger order.
    func statementEntries(ofPartner partner: String, from: Timestamp, until: Timestamp) async throws -> [StatementEntry]
    /// The dead events, oldest first.
    func deadEvents() async throws -> [DeadEvent]
    /// Puts dead events back at the end of the queue (all when `sequences` is empty); returns how
    /// many.
    func retryDead(_ sequences: [Int64], now: Timestamp) async throws -> Int
    /// Every accepted event in queue order (`dry-run --db`, `diff --db`).
    func allQueued() async throws -> [QueuedEvent]

    // MARK: health

    /// Whether a write transaction can commit now.
    func isWritable() async -> Bool
    /// Why the store cannot take writes right now, when `error` says so (a full disk): such a
    /// failure passes, and callers answer "retry later".
    func transientUnavailability(of error: any Error) -> String?
}

extension Storage {
    /// Verifies the stored pages (`quick_check` on SQLite).
    package func check() throws { try check(full: false) }

    /// Stores valid events in the durable queue in one transaction, all or nothing: an id seen
    /// before with other content is a conflict and nothing is stored. Returns once the
    /// transaction is durable.
    package func enqueue(_ events: [IncomingEvent], now: Timestamp) async throws -> Result<EnqueueResult, EnqueueConflict> {
        try await enqueue(groups: [events], now: now)[0]
    }
}
