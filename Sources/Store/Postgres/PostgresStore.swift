import Dispatch
import Engine
import Foundation
import Logging
import Synchronization

/// The PostgreSQL database of one or more cashback hosts: the same queue, evaluation state,
/// decisions, ledger and credits feed as `SQLiteStore`, in tables of its own
/// (`PostgresStore.migrations`). Every host takes events; one at a time, the leader, runs the
/// scheduler, and each of its batch transactions checks that it still leads
/// (`PostgresStore+Leadership`).
///
/// The store's work runs on threads of its own, each query waiting for its answer
/// (`PostgresSession`), so that a batch is read and written as on SQLite.
package final class PostgresStore: Sendable {
    let pool: PostgresSessionPool
    /// The evaluation state the leader read and wrote, kept across batches while it leads; only
    /// used while holding `stateLock`.
    let stateCache: StateCache
    let stateLock = NSLock()
    /// The batch evaluated ahead (see `BatchStore`).
    package let pipeline = BatchPipeline()
    /// The fencing token of this host's leadership, while it leads.
    let leadership = Mutex<Leadership?>(nil)
    /// This host's name in the leadership table.
    package let hostName: String

    /// How a command opens the database.
    package typealias Access = SQLiteStore.Access

    /// Connects to `location` and migrates its schema (`readWrite`), or checks that it is a
    /// cashback database this release can read (`readOnly`). Every failure is a `StoreError`
    /// naming the database (without its password).
    package init(
        location: PostgresLocation, access: Access = .readWrite, stateCacheEntries: Int = 20_000,
        hostName: String = PostgresStore.defaultHostName, logger: Logger = Logger(label: "cashback.postgres")
    ) throws {
        pool = PostgresSessionPool(location: location, logger: logger)
        stateCache = StateCache(capacity: stateCacheEntries)
        self.hostName = hostName
        do {
            try pool.withSession { session in
                switch access {
                case .readWrite: try PostgresStore.migrate(session, name: location.displayName)
                case .readOnly: try PostgresStore.checkSchema(session, name: location.displayName)
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(
                .cannotOpen, path: location.displayName, "cannot open the database: \(PostgresStore.describe(error))")
        }
    }

    /// The name a host goes by unless told otherwise: its host name and process id.
    package static var defaultHostName: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    package var name: String { pool.location.displayName }

    /// Closes the store's connections.
    package func close() { pool.close() }

    /// Runs `body` on a thread of the store's (where waiting for PostgreSQL is allowed).
    func onStoreThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs `body` with a pooled connection, on a thread of the store's.
    func withSession<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await onStoreThread { try self.pool.withSession(body) }
    }

    /// What a PostgreSQL or connection error says, in one line.
    static func describe(_ error: any Error) -> String { PostgresFailure(error).description }
}

/// The PostgreSQL store serves the service and the commands as the SQLite store does; the
/// requirements are implemented by its extensions (`+Queue`, `+Batch`, `+Queries`).
extension PostgresStore: Storage, SharedStore {
    /// PostgreSQL checks its own pages (with data checksums when the cluster has them).
    package func check(full: Bool) throws {}
}
