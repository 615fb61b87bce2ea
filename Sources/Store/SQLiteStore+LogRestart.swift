import Foundation
import GRDB

extension SQLiteStore {
    /// Restarts the write-ahead log once its file passed `logRestartBytes`, so that it stays
    /// bounded (`journal_size_limit` then cuts the file back to half that).
    ///
    /// SQLite reuses its log from the start only once every frame is copied into the database and
    /// no reader still reads from the log. The scheduler evaluates the next batch while it commits
    /// one, so a reader is nearly always open, and the log would grow without end (4.6 GB after
    /// 6,000,000 events, and its index in shared memory with it). Between batches the scheduler
    /// reads nothing: a `RESTART` checkpoint then finishes the copy and starts the log over. It
    /// does not wait for other readers (an API request, another process): while one reads, it
    /// copies what it can, like the automatic checkpoints, and the next batch tries again.
    package func settleBetweenBatches() async {
        let size = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        guard size > logRestartBytes else { return }
        try? await pool.writeWithoutTransaction { db in try SQLiteStore.restartLog(db) }
    }

    /// Runs a `RESTART` checkpoint without waiting for readers: while one reads, it copies what
    /// it can and leaves the log as it is.
    static func restartLog(_ db: Database) throws {
        try db.execute(sql: "PRAGMA busy_timeout = 0")
        defer { try? db.execute(sql: "PRAGMA busy_timeout = \(busyTimeoutSeconds * 1000)") }
        do {
            _ = try db.checkpoint(.restart)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return
        }
    }
}
