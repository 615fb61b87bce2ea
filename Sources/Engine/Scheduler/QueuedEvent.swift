/// An event as the durable queue holds it: its position and the input read from its body.
package struct QueuedEvent: Sendable {
    /// The queue position (acceptance order).
    package let sequence: Int64
    package let input: EventInput
    /// Whether the queue accepted no event with its id before it: then no event with its id was
    /// evaluated before it either. `false` when that is not known.
    package let isFirstOfItsID: Bool

    package init(sequence: Int64, input: EventInput, isFirstOfItsID: Bool = false) {
        self.sequence = sequence
        self.input = input
        self.isFirstOfItsID = isFirstOfItsID
    }
}

/// What became of a queued event.
package enum EventOutcome: Sendable {
    /// Its decision, then those of the orphans it released.
    case decided(SmallArray<Decision>)
    /// A plugin kept failing on it; it changed nothing and waits to be retried.
    case dead(PluginFailure)
}
