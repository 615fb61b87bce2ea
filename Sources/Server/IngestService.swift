import Engine
import Logging
import ServiceLifecycle
import Store
import Synchronization

/// Group commit for ingest: concurrent requests wait in line while one transaction is being
/// made durable, then all of them share the next transaction and its one fsync. Each request
/// stays all or nothing on its own.
final class IngestService: Service, Sendable {
    private struct Pending: Sendable {
        let events: [IncomingEvent]
        let continuation: CheckedContinuation<Result<EnqueueResult, EnqueueConflict>, any Error>
    }

    private let store: any Storage
    /// Whether requests are still taken, and those waiting for the next group commit: one lock,
    /// so that no request slips in after the last commit and waits forever.
    private let state = Mutex<(accepting: Bool, pending: [Pending])>((true, []))
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let onCommitted: @Sendable (Int) -> Void
    private let logger: Logger

    /// - Parameter onCommitted: told how many events each group commit queued.
    init(store: any Storage, logger: Logger, onCommitted: @escaping @Sendable (Int) -> Void) {
        self.store = store
        self.logger = logger
        self.onCommitted = onCommitted
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a request's events durably; returns once they are committed, or the conflict
    /// that made the request store nothing.
    func submit(_ events: [IncomingEvent]) async throws -> Result<EnqueueResult, EnqueueConflict> {
        try await withCheckedThrowingContinuation { continuation in
            let taken = state.withLock { state in
                guard state.accepting else { return false }
                state.pending.append(Pending(events: events, continuation: continuation))
                return true
            }
            if taken { wake.yield() } else { continuation.resume(throwing: ServiceStopping()) }
        }
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            // Ends when the stream is finished (shutdown) or the task is cancelled.
            for await _ in wakeups { await commitPending() }
        } onGracefulShutdown: {
            self.stopAccepting()
        }
        stopAccepting()
        await commitPending()
    }

    private func stopAccepting() {
        state.withLock { $0.accepting = false }
        wake.finish()
    }

    private func commitPending() async {
        let group = state.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
        guard !group.isEmpty else { return }
        do {
            let results = try await store.enqueue(groups: group.map(\.events), now: WallClock.now)
            // Count the events in before anyone hears of them, so the depth never runs behind.
            let queued = results.reduce(0) { total, result in
                guard case .success(let counts) = result else { return total }
                return total + counts.accepted + counts.duplicates
            }
            onCommitted(queued)
            for (request, result) in zip(group, results) { request.continuation.resume(returning: result) }
            logger.debug("group commit", metadata: ["batch.requests": "\(group.count)", "batch.size": "\(queued)"])
        } catch {
            logger.error("ingest commit failed", metadata: ["error.message": "\(error)"])
            for request in group { request.continuation.resume(throwing: error) }
        }
    }
}

/// The service is shutting down and takes no more events.
struct ServiceStopping: Error {}
