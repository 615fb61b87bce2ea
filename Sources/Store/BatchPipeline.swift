import Engine
import Synchronization

/// A batch claimed and evaluated, not yet written.
package struct EvaluatedBatch: Sendable {
    let batch: [QueuedEvent]
    let outcomes: [EventOutcome]
    /// What it changes in the evaluation state.
    let changes: StateChanges
    /// Its decisions packed for storage, in the order of `outcomes`.
    let packedDecisions: [[UInt8]]
    /// The strings its packed rows added to the table.
    let strings: NewStrings
    /// On a shared store, the lease token under which its state was read: it commits only while
    /// that token is the lease's (a lease lost and won back meanwhile is a new token).
    var fence: Int64?
}

/// The batch evaluated ahead while the one before it was committed, with what it was evaluated
/// for (rules version, limit, workers).
package final class BatchPipeline: Sendable {
    private let next = Mutex<(batch: EvaluatedBatch, key: String)?>(nil)

    /// The batch evaluated ahead, if it was evaluated for `key`; it is discarded either way.
    func take(matching key: String) -> EvaluatedBatch? {
        next.withLock { next in
            defer { next = nil }
            return next?.key == key ? next?.batch : nil
        }
    }

    func keep(_ batch: EvaluatedBatch, key: String) { next.withLock { $0 = (batch, key) } }

    /// Forgets the batch evaluated ahead (the state it was evaluated over may be stale).
    func discard() { next.withLock { $0 = nil } }
}
