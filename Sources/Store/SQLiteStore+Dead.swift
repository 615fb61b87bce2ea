import Engine
import GRDB

/// An event a plugin kept failing on: set aside, changing nothing, until retried.
package struct DeadEvent: Sendable, Equatable {
    package let sequence: Int64
    package let eventID: String
    package let error: String
    package let attempts: Int
}

extension SQLiteStore {
    /// The dead events, oldest first.
    package func deadEvents() throws -> [DeadEvent] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT queue_seq, event_id, error, attempts FROM dead ORDER BY queue_seq").map { row in
                DeadEvent(
                    sequence: try row.decode(forColumn: "queue_seq"), eventID: try row.decode(forColumn: "event_id"),
                    error: try row.decode(forColumn: "error"), attempts: try row.decode(forColumn: "attempts"))
            }
        }
    }

    /// Puts dead events back at the end of the queue (all of them when `sequences` is empty);
    /// returns how many.
    @discardableResult
    package func retryDead(_ sequences: [Int64] = [], now: Timestamp) throws -> Int {
        try pool.write { db in
            let dead = try Int64.fetchAll(db, sql: "SELECT queue_seq FROM dead ORDER BY queue_seq")
                .filter { sequences.isEmpty || sequences.contains($0) }
            for sequence in dead {
                try db.execute(
                    sql: """
                        INSERT INTO queue (event_id, body, file, line, accepted_at)
                        SELECT event_id, body, file, line, ? FROM queue WHERE seq = ?
                        """,
                    arguments: [now.epochSeconds, sequence])
                try db.execute(sql: "DELETE FROM dead WHERE queue_seq = ?", arguments: [sequence])
            }
            return dead.count
        }
    }
}
