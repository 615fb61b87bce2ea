import Engine
import PostgresNIO

extension PostgresStore {
    /// Group commit: stores several requests' events in one transaction, each request all or
    /// nothing on its own (a savepoint each), and returns each one's result once it is durable.
    package func enqueue(groups: [[IncomingEvent]], now: Timestamp) async throws
        -> [Result<EnqueueResult, EnqueueConflict>]
    {
        try await withSession { session in
            try session.transaction {
                let writer = PostgresQueueWriter(session: session, now: now)
                // Locked outside the savepoints: a row lock taken in one that rolls back is lost.
                try writer.lockHead()
                var outcomes: [Result<EnqueueResult, EnqueueConflict>] = []
                for events in groups {
                    let start = writer.position
                    try session.execute("SAVEPOINT enqueue_group")
                    do {
                        for (index, incoming) in events.enumerated() { try writer.add(incoming, index: index) }
                        try writer.finish()
                        try session.execute("RELEASE SAVEPOINT enqueue_group")
                        outcomes.append(.success(writer.result))
                        writer.restart(at: writer.position)
                    } catch let conflict as EnqueueConflict {
                        try session.execute("ROLLBACK TO SAVEPOINT enqueue_group")
                        outcomes.append(.failure(conflict))
                        writer.restart(at: start)
                    }
                }
                return outcomes
            }
        }
    }

    /// Streams events into the queue in one transaction, all or nothing, without holding them all
    /// in memory: `produce` hands each event to the function it is given, in order. Waits: call it
    /// off the event loops (a command's main task).
    package func enqueueStreaming(now: Timestamp, _ produce: (_ add: (IncomingEvent) throws -> Void) throws -> Void) throws
        -> Result<EnqueueResult, EnqueueConflict>
    {
        try pool.withSession { session in
            do {
                return try session.transaction {
                    let writer = PostgresQueueWriter(session: session, now: now)
                    var index = 0
                    try produce { incoming in
                        try writer.add(incoming, index: index)
                        index += 1
                    }
                    try writer.finish()
                    return .success(writer.result)
                }
            } catch let conflict as EnqueueConflict {
                return .failure(conflict)
            }
        }
    }

    /// How many accepted events are not processed yet.
    package func queueDepth() async throws -> Int {
        try await withSession { session in
            Int(
                try session.rows("SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)")[0]
                    .column(0, as: Int64.self))
        }
    }

    /// When the oldest unprocessed event was accepted (Unix seconds), if any.
    package func oldestQueuedAcceptance() async throws -> Int64? {
        try await withSession { session in
            try session.rows(
                "SELECT accepted_at FROM queue WHERE seq > (SELECT processed_through FROM progress) ORDER BY seq LIMIT 1"
            ).first?.column(0)
        }
    }

    /// Every accepted event in queue order, for replays (`diff --db`).
    package func allQueued() async throws -> [QueuedEvent] {
        try await withSession { session in
            try session.rows("SELECT seq, body, file, line, first_of_id FROM queue ORDER BY seq").map(PostgresStore.queuedEvent)
        }
    }

    /// A queue row (seq, body, file, line, first_of_id) as an event input.
    static func queuedEvent(_ row: PostgresRow) throws -> QueuedEvent { try queuedEvent(row: row, columns: 5) }

    /// A queue row's first `columns` columns (seq, body, file, line, and first_of_id when 5) as an
    /// event input.
    static func queuedEvent(row: PostgresRow, columns: Int) throws -> QueuedEvent {
        let sequence: Int64 = try row.column(0)
        let line: Int64? = try row.column(3)
        let origin = EventOrigin(file: try row.column(2), line: line.map(Int.init), sequence: sequence)
        guard let event = StoredEvent.decode(try row.bytes(1)) else {
            throw PostgresStoreDataError("the queued event at \(sequence) does not decode")
        }
        let firstOfID = columns > 4 ? try row.column(4, as: Int64?.self) : nil
        return QueuedEvent(sequence: sequence, input: .event(event, origin), isFirstOfItsID: firstOfID == 1)
    }
}
