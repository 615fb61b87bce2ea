import Engine

/// A batch claimed and evaluated, not yet written.
struct EvaluatedBatch: Sendable {
    let batch: [QueuedEvent]
    let outcomes: [EventOutcome]
    /// What it changes in the evaluation state.
    let changes: StateChanges
}

/// The batch evaluated ahead while the one before it was written, with what it was evaluated
/// for (rules version, limit, workers). Not thread-safe: `SQLiteStore` uses it only under its
/// state lock.
final class BatchPipeline: @unchecked Sendable {
    private var next: (batch: EvaluatedBatch, key: String)?

    /// The batch evaluated ahead, if it was evaluated for `key`; it is discarded either way.
    func take(matching key: String) -> EvaluatedBatch? {
        defer { next = nil }
        return next?.key == key ? next?.batch : nil
    }

    func keep(_ batch: EvaluatedBatch, key: String) { next = (batch, key) }
}
