import Engine
import Foundation
import Store

/// Where `dry-run` and `diff` take their events from: JSON Lines files (`-` is standard input),
/// or a database's queue in queue order.
struct EventsToEvaluate {
    let files: [String]
    let db: String?

    /// The events' reading, and about how many events there are, so that the in-memory state
    /// can size its tables once instead of growing them (`nil` for standard input).
    struct Source {
        let read: EvaluationPipeline.Reader
        let expectedCount: Int?
    }

    /// Bytes per event assumed when sizing from a file's size: a little under a typical event
    /// line (about 150 bytes), so that the estimate errs on the large side.
    static let bytesPerEvent = 128
    /// The largest estimate: a bigger run grows its tables as it goes. Room reserved and never
    /// filled costs address space, not memory, but for the id tables' slots (11 to 22 bytes an
    /// expected event, in each state): 16,000,000 sizes a year-sized 10,000,000-event `diff`
    /// once, without growing its tables through 4, 8 and 16 million.
    static let maximumExpectedCount = 16_000_000

    /// The events to evaluate. A database's queue is read here, before the pipeline starts.
    func source() async throws -> Source {
        if let db {
            let queued = try await DatabaseArgument.open(db, access: .readOnly).allQueued().map(\.input)
            return Source(read: { emit in queued.forEach(emit) }, expectedCount: queued.count)
        }
        let source = EventSource(paths: files)
        return Source(read: { emit in try source.forEach(emit) }, expectedCount: expectedCount())
    }

    /// An estimate from the files' sizes; `nil` when one is standard input or cannot be sized.
    private func expectedCount() -> Int? {
        var bytes = 0
        for path in files {
            guard path != "-", let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            else { return nil }
            bytes += size
        }
        return min(bytes / Self.bytesPerEvent, Self.maximumExpectedCount)
    }
}
