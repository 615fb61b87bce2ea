/// Why an event could not be evaluated, in the two ways that callers must tell apart.
///
/// A closed enum rather than an extensible struct: every caller handles both cases, and a third
/// would need each of them to decide anew.
public enum EvaluationError: Error, CustomStringConvertible {
    /// A plugin failed on the event (or a limit's usage would overflow): nothing changed, and
    /// the event alone is retried, then set aside as dead.
    case plugin(PluginFailure)
    /// The evaluation state failed to read or write: the state may be half-changed, so nothing
    /// of the batch may be kept. The state's own error.
    case state(any Error)

    public var description: String {
        switch self {
        case .plugin(let failure): failure.description
        case .state(let error): "evaluation state failed: \(error)"
        }
    }
}
