import Logging
import Synchronization

/// Connections to one PostgreSQL database, opened when needed and kept for reuse. A connection
/// that broke is dropped, so that the next use opens a new one: a host that lost the database
/// recovers by itself once it is back.
final class PostgresSessionPool: Sendable {
    let location: PostgresLocation
    private let logger: Logger
    private let idle = Mutex<[PostgresSession]>([])
    /// How many idle connections are kept.
    private let keep: Int

    init(location: PostgresLocation, logger: Logger, keep: Int = 8) {
        self.location = location
        self.logger = logger
        self.keep = keep
    }

    /// Runs `body` with a connection of the pool. Waits: not to be called on an event loop.
    func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let kept = idle.withLock { idle -> PostgresSession? in
            // A connection the server closed meanwhile (a restart, a terminated backend) is dropped.
            while let session = idle.popLast() { if !session.isClosed { return session } }
            return nil
        }
        let session = try kept ?? PostgresSession.connect(to: location, logger: logger)
        defer { giveBack(session) }
        return try body(session)
    }

    private func giveBack(_ session: PostgresSession) {
        guard !session.isClosed else { return }
        let kept = idle.withLock { idle -> Bool in
            guard idle.count < keep else { return false }
            idle.append(session)
            return true
        }
        if !kept { session.close() }
    }

    /// Closes every idle connection.
    func close() {
        for session in idle.withLock({ idle in
            defer { idle = [] }
            return idle
        }) { session.close() }
    }
}
