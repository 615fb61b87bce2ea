import Foundation

/// Values handed from one thread to another, in order, with at most `capacity` waiting: the
/// sender waits for room, the receiver for a value.
///
/// The sender ends the stream with `finish(throwing:)`; the receiver gets every value sent
/// before it, then the error (if any), then `nil`. A side that stops early calls `cancel()`,
/// after which `send` drops its value and answers `false` and `receive` ends, so no thread
/// waits forever on the other.
final class Handover<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    /// The values sent and not yet received, oldest first (at most `capacity`, a handful).
    private var values: [Value] = []
    private var finished = false
    private var cancelled = false
    private var failure: (any Error)?

    init(capacity: Int) {
        precondition(capacity > 0, "a hand-over holds at least one value")
        self.capacity = capacity
    }

    /// Waits for room and adds `value`; `false` when the receiver has cancelled.
    @discardableResult
    func send(_ value: Value) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while values.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        values.append(value)
        condition.broadcast()
        return true
    }

    /// Adds `value` if there is room, without waiting; `false` when there is none (or the
    /// receiver has cancelled).
    func trySend(_ value: Value) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard values.count < capacity, !cancelled else { return false }
        values.append(value)
        condition.broadcast()
        return true
    }

    /// Whether `receive` would return at once: a value is waiting, or the stream has finished.
    var hasWaiting: Bool {
        condition.lock()
        defer { condition.unlock() }
        return !values.isEmpty || finished
    }

    /// Ends the stream, with the error that ended it if any.
    func finish(throwing error: (any Error)? = nil) {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        failure = error
        condition.broadcast()
    }

    /// The next value, waiting for it; `nil` once the stream has finished and every value was
    /// received. Throws the error the stream finished with, after the values sent before it.
    func receive() throws -> Value? {
        condition.lock()
        defer { condition.unlock() }
        while values.isEmpty && !finished { condition.wait() }
        guard !values.isEmpty else {
            if let failure { throw failure }
            return nil
        }
        condition.broadcast()
        return values.removeFirst()
    }

    /// Stops the stream, from either side: waiting and later sends return `false`, and a
    /// receiver gets what was sent before, then `nil`.
    func cancel() {
        condition.lock()
        defer { condition.unlock() }
        cancelled = true
        finished = true
        condition.broadcast()
    }
}
