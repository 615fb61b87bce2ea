import Engine

/// The batch-shaped side of a store, in three steps: claim a batch, evaluate it over the state
/// it needs, commit its effects. `SQLiteStore` implements them; a second backend implements the
/// same three and gets the pipelined `processBatch` below.
///
/// The scheduler is the only writer of the evaluation state (a backend enforces it), so a
/// backend may keep what it read across batches, as long as it forgets it when a commit fails.
package protocol BatchStore: Sendable {
    /// The batch evaluated ahead while the one before it is committed.
    var pipeline: BatchPipeline { get }

    /// The next unprocessed events in queue order, at most `limit`: after `sequence`, or after
    /// the queue position when `nil`. Empty when there are none.
    func claimBatch(after sequence: Int64?, limit: Int) async throws -> [QueuedEvent]

    /// Evaluates `batch` over the stored state as `pending` leaves it (a batch evaluated but not
    /// yet committed), reading what the batch needs in bulk. Writes nothing.
    func evaluate(_ batch: [QueuedEvent], after pending: EvaluatedBatch?, with evaluator: BatchEvaluator) async throws
        -> EvaluatedBatch

    /// Writes everything `batch` changes (state, decisions, ledger lines, dead events, the queue
    /// position) in one transaction: it is wholly applied or not at all.
    func commit(
        _ batch: EvaluatedBatch, evaluator: BatchEvaluator, rulesVersion: String, confirmAfter: Int64, now: Timestamp
    ) async throws -> BatchSummary

    /// Called when a batch is committed and the next one evaluated, before anything else is
    /// claimed: the one moment the scheduler reads nothing. A backend may tidy its log there;
    /// what fails there fails nothing of the batches.
    func settleBetweenBatches() async
}

extension BatchStore {
    /// Claims up to `limit` queued events, evaluates them and commits them in one transaction.
    /// While a batch is committed, the next one is claimed and evaluated beside it (on the other
    /// core), over the state the committed batch leaves, and kept for the next call with the same
    /// rules, limit and workers.
    package func processBatch(
        limit: Int, evaluator: BatchEvaluator, rulesVersion: String, confirmAfter: Int64, now: Timestamp
    ) async throws -> BatchSummary {
        let key = "\(rulesVersion) \(limit) \(evaluator.workers)"
        var current = pipeline.take(matching: key)
        if current == nil { current = try await evaluateBatch(after: nil, limit: limit, evaluator: evaluator) }
        guard let current else { return BatchSummary() }
        async let summary = commit(
            current, evaluator: evaluator, rulesVersion: rulesVersion, confirmAfter: confirmAfter, now: now)
        // A failure here only means the next batch is evaluated again by the next call.
        let next = try? await evaluateBatch(after: current, limit: limit, evaluator: evaluator)
        let committed = try await summary
        if let next { pipeline.keep(next, key: key) }
        await settleBetweenBatches()
        return committed
    }

    /// Claims and evaluates the batch after `previous` (after the queue position when `nil`), over
    /// the state `previous` leaves; `nil` when there is nothing to claim.
    private func evaluateBatch(after previous: EvaluatedBatch?, limit: Int, evaluator: BatchEvaluator) async throws
        -> EvaluatedBatch?
    {
        let batch = try await claimBatch(after: previous?.batch.last?.sequence, limit: limit)
        guard !batch.isEmpty else { return nil }
        return try await evaluate(batch, after: previous, with: evaluator)
    }
}
