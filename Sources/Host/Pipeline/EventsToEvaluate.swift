import Engine
import Store

/// Where `dry-run` and `diff` take their events from: JSON Lines files (`-` is standard input),
/// or a database's queue in queue order.
struct EventsToEvaluate {
    let files: [String]
    let db: String?

    /// The pipeline's reading. A database's queue is read here, before the pipeline starts.
    func reader() async throws -> EvaluationPipeline.Reader {
        if let db {
            let queued = try await SQLiteStore(path: db, access: .readOnly).allQueued().map(\.input)
            return { emit in queued.forEach(emit) }
        }
        let source = EventSource(paths: files)
        return { emit in try source.forEach(emit) }
    }
}
