/// An event as the durable queue holds it: its position and the input read from its body.
public struct QueuedEvent: Sendable {
    /// The queue position (acceptance order).
    public let sequence: Int64
    public let input: EventInput

    public init(sequence: Int64, input: EventInput) {
        self.sequence = sequence
        self.input = input
    }
}

/// What became of a queued event.
public enum EventOutcome: Sendable {
    /// Its decision, then those of the orphans it released.
    case decided([Decision])
    /// A plugin kept failing on it; it changed nothing and waits to be retried.
    case dead(PluginFailure)
}
