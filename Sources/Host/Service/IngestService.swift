import Engine
import Logging
import ServiceLifecycle
import Synchronization

/// Group commit for ingest: concurrent requests wait in line while one transaction is being
/// made durable, then all of them share the next transaction and its one fsync. Each request
/// stays all or nothing on its own.
final class IngestService: Service, Sendable {
    private struct Pending: Sendable {
        let events: [IncomingEvent]
        let continuation: CheckedContinuation<Result<EnqueueResult, EnqueueConflict>, any Error>
    }

    private let store: Store
    private let pending = Mutex<[Pending]>([])
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let onCommitted: @Sendable (Int) -> Void
    private let logger: Logger
    private let accepting = Atomic<Bool>(true)

    /// - Parameter onCommitted: told how many events each group commit queued.
    init(store: Store, logger: Logger, onCommitted: @escaping @Sendable (Int) -> Void) {
        self.store = store
        self.logger = logger
        self.onCommitted = onCommitted
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a request's events durably; returns once they are committed, or the conflict
    /// that made the request store nothing.
    func submit(_ events: [IncomingEvent]) async throws -> Result<EnqueueResult, EnqueueConflict> {
        guard accepting.load(ordering: .acquiring) else { throw ServiceStopping() }
        return try await withCheckedThrowingContinuation { continuation in
            pending.withLock { $0.append(Pending(events: events, continuation: continuation)) }
            wake.yield()
        }
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            for await _ in wakeups {
                await commitPending()
                if !accepting.load(ordering: .acquiring) { break }
            }
        } onGracefulShutdown: {
            self.accepting.store(false, ordering: .releasing)
            self.wake.yield()
        }
        await commitPending()
    }

    private func commitPending() async {
        let group = pending.withLock { requests in
            defer { requests.removeAll() }
            return requests
        }
        guard !group.isEmpty else { return }
        do {
            let results = try await store.enqueue(groups: group.map(\.events), now: Clock.now)
            // Count the events in before anyone hears of them, so the depth never runs behind.
            let queued = results.reduce(0) { total, result in
                guard case .success(let counts) = result else { return total }
                return total + counts.accepted + counts.duplicates
            }
            onCommitted(queued)
            for (request, result) in zip(group, results) { request.continuation.resume(returning: result) }
            logger.debug("group commit", metadata: ["batch.requests": "\(group.count)", "batch.size": "\(queued)"])
        } catch {
            logger.error("ingest commit failed", metadata: ["error": "\(error)"])
            for request in group { request.continuation.resume(throwing: error) }
        }
    }
}

/// The service is shutting down and takes no more events.
struct ServiceStopping: Error {}
