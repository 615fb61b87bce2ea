import Engine
import Foundation
import GRDB

/// An event accepted into the queue and where it came from. The queue stores it as a
/// `StoredEvent`.
package struct IncomingEvent: Sendable {
    package let event: Event
    package let origin: EventOrigin

    package init(event: Event, origin: EventOrigin) {
        self.event = event
        self.origin = origin
    }
}

/// What an all-or-nothing enqueue did.
package struct EnqueueResult: Sendable, Equatable {
    /// Events new to the store.
    package var accepted = 0
    /// Events identical to one accepted before (queued too: they get a `duplicate` decision).
    package var duplicates = 0
}

/// Why an enqueue stored nothing: an event whose id was accepted before with other content.
package struct EnqueueConflict: Error, CustomStringConvertible {
    package let eventID: String
    package let origin: EventOrigin
    /// The index of the event in the request.
    package let index: Int

    package var description: String { "event \(index): id: \(eventID) was accepted before with other content (conflict)" }
}

extension SQLiteStore {
    /// Group commit: stores several requests' events in one transaction (one fsync), each
    /// request all or nothing on its own (a savepoint each), and returns each one's result.
    package func enqueue(groups: [[IncomingEvent]], now: Timestamp) async throws -> [Result<EnqueueResult, EnqueueConflict>] {
        try refuseWritesIfDamaged()
        return try await pool.write { db in
            try groups.map { events in
                var writer = try QueueWriter(db, now: now)
                var outcome: Result<EnqueueResult, EnqueueConflict> = .success(EnqueueResult())
                try db.inSavepoint {
                    for (index, incoming) in events.enumerated() {
                        if let conflict = try writer.add(incoming, index: index) {
                            outcome = .failure(conflict)
                            return .rollback
                        }
                    }
                    outcome = .success(writer.result)
                    return .commit
                }
                return outcome
            }
        }
    }

    /// Streams events into the queue in one transaction, all or nothing, without holding them
    /// all in memory: `produce` hands each event to the function it is given, in order.
    package func enqueueStreaming(now: Timestamp, _ produce: (_ add: (IncomingEvent) throws -> Void) throws -> Void) throws
        -> Result<EnqueueResult, EnqueueConflict>
    {
        do {
            return try pool.write { db in
                var writer = try QueueWriter(db, now: now)
                var index = 0
                try produce { incoming in
                    if let conflict = try writer.add(incoming, index: index) { throw Rollback(conflict: conflict) }
                    index += 1
                }
                return .success(writer.result)
            }
        } catch let rollback as Rollback {
            return .failure(rollback.conflict)
        }
    }

    /// Thrown inside a transaction to roll it back on a conflict.
    private struct Rollback: Error {
        package let conflict: EnqueueConflict
    }

    /// How many accepted events are not processed yet.
    package func queueDepth() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)") ?? 0
        }
    }

    /// The next unprocessed events, in acceptance order: after `sequence`, or after the queue
    /// position when `nil`. Read through SQLite's C API (`DirectRow`): GRDB's rows copied every
    /// body twice.
    package static func claim(_ db: Database, after sequence: Int64? = nil, limit: Int) throws -> [QueuedEvent] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT seq, body, file, line, first_of_id FROM queue
                WHERE seq > COALESCE(?, (SELECT processed_through FROM progress)) ORDER BY seq LIMIT ?
                """)
        var claimed: [QueuedEvent] = []
        claimed.reserveCapacity(min(limit, 4096))
        try statement.forEachRow(binding: [.integer(sequence), .integer(limit)]) { row in
            let sequence = Int64(row.int(0))
            let origin = EventOrigin(
                file: row.isNull(2) ? nil : row.text(2), line: row.isNull(3) ? nil : row.int(3), sequence: sequence)
            let body = row.isBlob(1) ? try storedBody(row.bytes(1)) : try queuedBody(row.value(1))
            let input: EventInput
            switch body {
            case .success(let event): input = .event(event, origin)
            case .failure(let error): input = .invalid(error, origin)
            }
            claimed.append(QueuedEvent(sequence: sequence, input: input, isFirstOfItsID: !row.isNull(4) && row.int(4) == 1))
        }
        return claimed
    }

    /// A queue row (seq, body, file, line) as an event input.
    package static func queuedEvent(_ row: Row) throws -> QueuedEvent {
        let origin = EventOrigin(
            file: try row.decode(forColumn: "file"), line: try row.decode(forColumn: "line"),
            sequence: try row.decode(forColumn: "seq"))
        let input: EventInput
        switch try queuedBody(row["body"]) {
        case .success(let event): input = .event(event, origin)
        case .failure(let error): input = .invalid(error, origin)
        }
        return QueuedEvent(sequence: try row.decode(forColumn: "seq"), input: input)
    }

    /// The event of a queue row's body: a `StoredEvent` since 2026-12-06, its JSON text before.
    static func queuedBody(_ body: DatabaseValue) throws -> Result<Event, EventError> {
        switch body.storage {
        case .blob(let data): return try storedBody([UInt8](data))
        case .string(let text): return EventParser.parse(line: Array(text.utf8))
        default: throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a queued event has no body")
        }
    }

    /// The event of a `StoredEvent` body.
    private static func storedBody(_ bytes: [UInt8]) throws -> Result<Event, EventError> {
        guard let event = StoredEvent.decode(bytes) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a queued event does not decode")
        }
        return .success(event)
    }
}

extension SQLiteStore {
    /// Every accepted event in acceptance order, for replays (`diff --db`).
    package func allQueued() async throws -> [QueuedEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, body, file, line FROM queue ORDER BY seq").map(SQLiteStore.queuedEvent)
        }
    }
}

/// Appends accepted events to the queue inside a transaction: new ids are registered, ids
/// seen with the same content are duplicates (queued too), other content is a conflict. An id
/// registered earlier in the same transaction is found by the same lookup (a transaction reads
/// its own writes), so memory stays flat however many events one enqueue streams.
private struct QueueWriter {
    private(set) var result = EnqueueResult()
    private let lookup: Statement
    private let accept: Statement
    private let insert: Statement
    private let now: Timestamp

    package init(_ db: Database, now: Timestamp) throws {
        lookup = try db.cachedStatement(sql: "SELECT fingerprint FROM accepted WHERE event_id = ?")
        accept = try db.cachedStatement(sql: "INSERT INTO accepted (event_id, fingerprint) VALUES (?, ?)")
        insert = try db.cachedStatement(
            sql: "INSERT INTO queue (event_id, body, file, line, accepted_at, first_of_id) VALUES (?, ?, ?, ?, ?, ?)")
        self.now = now
    }

    /// Queues one event; returns the conflict instead when its id was accepted with other content.
    package mutating func add(_ incoming: IncomingEvent, index: Int) throws -> EnqueueConflict? {
        let id = incoming.event.id
        let fingerprint = incoming.event.fingerprint
        let isFirst: Bool
        if let earlier = try Data.fetchOne(lookup, arguments: [id]).map(Fingerprint.init(stored:)) {
            guard earlier == fingerprint else { return EnqueueConflict(eventID: id, origin: incoming.origin, index: index) }
            result.duplicates += 1
            isFirst = false
        } else {
            try accept.execute(arguments: [id, fingerprint.stored])
            result.accepted += 1
            isFirst = true
        }
        try insert.execute(arguments: [
            id, Data(StoredEvent.encode(incoming.event)), incoming.origin.file, incoming.origin.line, now.epochSeconds,
            isFirst,
        ])
        return nil
    }
}
