import Engine

/// Appends accepted events to the queue inside a transaction, as `QueueWriter` does on SQLite:
/// new ids are registered, ids seen with the same content are duplicates (queued too), other
/// content is a conflict. Events are written a thousand at a time (a lookup of their ids, then
/// one insert per table); an id met earlier in the transaction is found by the lookup, which
/// reads the transaction's own writes, so memory stays flat however many events one enqueue
/// streams.
///
/// Positions come from `queue_head`, locked by the first chunk until the transaction ends:
/// enqueues commit one after another, in the order of their positions.
final class PostgresQueueWriter {
    private(set) var result = EnqueueResult()
    private let session: PostgresSession
    private let now: Timestamp
    private var pending: [(incoming: IncomingEvent, index: Int)] = []
    /// The last position handed out, once the head is locked.
    private var lastSequence: Int64?

    static let chunkSize = 1000

    init(session: PostgresSession, now: Timestamp) {
        self.session = session
        self.now = now
    }

    /// Queues one event (written with its chunk); throws the conflict when its chunk finds its
    /// id accepted with other content.
    func add(_ incoming: IncomingEvent, index: Int) throws {
        pending.append((incoming, index))
        if pending.count >= PostgresQueueWriter.chunkSize { try flush() }
    }

    /// Writes what is pending and moves the queue's head past it; throws a conflict found.
    func finish() throws {
        try flush()
        if let lastSequence {
            try session.execute("UPDATE queue_head SET last_seq = $1 WHERE only_row", [.integer(lastSequence)])
        }
    }

    /// Locks the queue's head until the transaction ends, and reads it.
    func lockHead() throws {
        guard lastSequence == nil else { return }
        lastSequence = try session.rows("SELECT last_seq FROM queue_head WHERE only_row FOR UPDATE")[0].column(0)
    }

    /// Starts counting anew from position `sequence`: after a group committed to its savepoint,
    /// or rolled back to it (its positions are then handed out again).
    func restart(at sequence: Int64?) {
        pending = []
        result = EnqueueResult()
        lastSequence = sequence
    }

    /// The last position handed out so far (for a savepoint to come back to).
    var position: Int64? { lastSequence }

    private func flush() throws {
        guard !pending.isEmpty else { return }
        defer { pending = [] }
        try lockHead()
        var sequence = lastSequence ?? 0
        var known: [String: Fingerprint] = [:]
        for row in try session.rows(
            "SELECT event_id, fingerprint FROM accepted WHERE event_id = ANY($1)",
            [.texts(Array(Set(pending.map(\.incoming.event.id))))])
        {
            known[try row.column(0)] = try Fingerprint(stored: row.bytes(1))
        }
        var accepted: [[BoundValue]] = []
        var queued: [[BoundValue]] = []
        for (incoming, index) in pending {
            let id = incoming.event.id
            let fingerprint = incoming.event.fingerprint
            let isFirst: Bool
            if let earlier = known[id] {
                guard earlier == fingerprint else {
                    throw EnqueueConflict(eventID: id, origin: incoming.origin, index: index)
                }
                result.duplicates += 1
                isFirst = false
            } else {
                known[id] = fingerprint
                accepted.append([.text(id), .blob(fingerprint.bytes)])
                result.accepted += 1
                isFirst = true
            }
            sequence += 1
            queued.append([
                .integer(sequence), .text(id), .blob(StoredEvent.encode(incoming.event)), .text(incoming.origin.file),
                .integer(incoming.origin.line.map(Int64.init)), .integer(now.epochSeconds), .integer(isFirst ? 1 : 0),
            ])
        }
        try session.insert(into: "accepted (event_id, fingerprint)", rows: accepted)
        try session.insert(into: "queue (seq, event_id, body, file, line, accepted_at, first_of_id)", rows: queued)
        lastSequence = sequence
    }
}
