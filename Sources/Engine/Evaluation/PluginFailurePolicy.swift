#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What happens when a plugin fails on an event — the same in `dry-run`, `diff` and the
/// scheduler: the event is evaluated again, up to `attempts` times in all, waiting `firstDelay`
/// before the first retry and twice as long before each next one (a lookup a plugin needs may
/// come back); if it still fails, the event is dead: it changed nothing, `dry-run` and `diff`
/// print a `dead` decision, and the scheduler sets it aside, retryable. A failure of the
/// evaluation state is never retried here: it stops the batch.
public struct PluginFailurePolicy: Sendable {
    /// Evaluations in all, at least 1.
    public let attempts: Int
    /// The wait before the first retry.
    public let firstDelay: Duration
    /// How a wait is made (tests count them instead of sleeping).
    public let pause: @Sendable (Duration) -> Void

    public init(attempts: Int, firstDelay: Duration, pause: @escaping @Sendable (Duration) -> Void) {
        self.attempts = max(1, attempts)
        self.firstDelay = firstDelay
        self.pause = pause
    }

    /// Three attempts, 20 ms then 40 ms apart, sleeping the thread.
    public static let standard = PluginFailurePolicy(attempts: 3, firstDelay: .milliseconds(20)) { delay in
        let (seconds, attoseconds) = delay.components
        usleep(useconds_t(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
    }

    /// Runs `evaluate` (given the attempt, from 1) until it succeeds, fails otherwise than in a
    /// plugin, or has failed `attempts` times; then returns its value or throws its last error.
    public func evaluate<T>(_ evaluate: (_ attempt: Int) throws(EvaluationError) -> T) throws(EvaluationError) -> T {
        var attempt = 1
        var delay = firstDelay
        while true {
            do throws(EvaluationError) {
                return try evaluate(attempt)
            } catch {
                guard case .plugin = error, attempt < attempts else { throw error }
                pause(delay)
                delay *= 2
                attempt += 1
            }
        }
    }
}

extension Evaluator {
    /// The decisions for one input in a sequential run (`dry-run`, `diff`), under `pluginFailures`:
    /// an event a plugin keeps failing on gets a `dead` decision; a failure of the state is thrown.
    public func decisions(
        for input: EventInput, state: some EvaluationState, pluginFailures: PluginFailurePolicy = .standard
    ) throws -> SmallArray<Decision> {
        do throws(EvaluationError) {
            return try pluginFailures.evaluate { _ throws(EvaluationError) in try process(input, state: state) }
        } catch {
            switch error {
            case .plugin(let failure):
                guard case .event(let event, let origin) = input else { return [] }
                return SmallArray(.dead(event, origin: origin, failure: failure))
            case .state(let failure):
                throw failure
            }
        }
    }
}
