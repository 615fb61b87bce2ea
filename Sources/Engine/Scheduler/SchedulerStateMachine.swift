/// The master scheduler's loop as a plain value: each call reports what just happened and
/// returns what to do next. The service around it does the I/O (processing a batch in one
/// transaction, waiting, sleeping), so these decisions are tested without I/O or clocks.
package struct SchedulerStateMachine: Sendable, Equatable {
    /// Whether the scheduler stops when the queue is empty (`process`) or waits for more (`serve`).
    package enum Mode: Sendable, Equatable {
        case drain
        case follow
    }

    /// What to do next.
    package enum Action: Sendable, Equatable {
        /// Claim up to `limit` events in queue order, evaluate them and commit, in one transaction.
        case processBatch(limit: Int)
        /// Wait until events are enqueued (or a stop is requested).
        case waitForEvents
        /// The store failed to commit: wait before trying the same batch again (the `attempt`-th
        /// retry; the caller picks the delay).
        case backOff(attempt: Int)
        /// Stop: nothing is in hand.
        case stop
        /// Give up: the store kept failing (only with a `maximumFailures`).
        case fail
    }

    private enum State: Sendable, Equatable {
        case idle, processing, waiting, backingOff, stopped
    }

    package let mode: Mode
    package let batchLimit: Int
    /// Consecutive failed commits after which the scheduler gives up; `nil`: never (a 24/7
    /// service keeps retrying, so it recovers by itself once the store can commit again).
    package let maximumFailures: Int?
    private var state: State = .idle
    private var stopRequested = false
    private var consecutiveFailures = 0

    package init(mode: Mode, batchLimit: Int, maximumFailures: Int? = 5) {
        precondition(batchLimit > 0, "a batch holds at least one event")
        self.mode = mode
        self.batchLimit = batchLimit
        self.maximumFailures = maximumFailures
    }

    /// Starts the loop.
    package mutating func start() -> Action {
        precondition(state == .idle, "started twice")
        return processOrStop()
    }

    /// A batch of `count` events was committed (0: the queue was empty).
    package mutating func batchCommitted(count: Int) -> Action {
        precondition(state == .processing, "no batch in hand")
        consecutiveFailures = 0
        if count > 0 { return processOrStop() }
        if mode == .drain || stopRequested {
            state = .stopped
            return .stop
        }
        state = .waiting
        return .waitForEvents
    }

    /// The batch in hand failed to commit: nothing of it was applied, so it is tried again.
    package mutating func batchFailed() -> Action {
        precondition(state == .processing, "no batch in hand")
        consecutiveFailures += 1
        if let maximumFailures, consecutiveFailures >= maximumFailures {
            state = .stopped
            return .fail
        }
        if stopRequested {
            state = .stopped
            return .stop
        }
        state = .backingOff
        return .backOff(attempt: consecutiveFailures)
    }

    /// The back-off delay is over.
    package mutating func backOffElapsed() -> Action {
        precondition(state == .backingOff, "not backing off")
        return processOrStop()
    }

    /// Events were enqueued (ignored unless waiting for them).
    package mutating func eventsArrived() -> Action? {
        guard state == .waiting else { return nil }
        return processOrStop()
    }

    /// A stop was requested (SIGTERM): a batch in hand is finished and committed first, so
    /// this returns `.stop` at once only when nothing is in hand.
    package mutating func requestStop() -> Action? {
        stopRequested = true
        switch state {
        case .idle, .waiting, .backingOff:
            state = .stopped
            return .stop
        case .processing, .stopped:
            return nil
        }
    }

    /// Whether the loop has stopped.
    package var isStopped: Bool { state == .stopped }

    private mutating func processOrStop() -> Action {
        if stopRequested {
            state = .stopped
            return .stop
        }
        state = .processing
        return .processBatch(limit: batchLimit)
    }
}
