import Foundation
import Store

/// What `--db` names: a SQLite file, or a PostgreSQL database by URL
/// (`postgres://user:password@host:port/database`). Without `--db`, `CASHBACK_DB` names it, and
/// without that `cashback.sqlite`.
enum DatabaseArgument {
    /// `--db`'s help.
    static let help =
        "The database: a SQLite file, or postgres://user:password@host:port/database (default: $CASHBACK_DB, else cashback.sqlite)."

    /// The database a command uses when `--db` is not given.
    static var defaultValue: String {
        ProcessInfo.processInfo.environment["CASHBACK_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "cashback.sqlite"
    }

    /// The one-scheduler lock of a SQLite file, to take before opening it (so that a second
    /// `serve` or `process` is refused before it touches the file); `nil` for PostgreSQL, whose
    /// hosts share the database under the scheduler's lease.
    static func lockIfFile(_ argument: String) throws -> DatabaseLock? {
        PostgresLocation.isURL(argument) ? nil : try DatabaseLock(path: argument)
    }

    /// Opens the database `argument` names.
    static func open(_ argument: String, access: SQLiteStore.Access, stateCache: Int = 20_000) throws -> any Storage {
        guard PostgresLocation.isURL(argument) else {
            return try SQLiteStore(path: argument, access: access, stateCacheEntries: stateCache)
        }
        guard let location = PostgresLocation(url: argument) else {
            throw StoreError(
                .cannotOpen, path: "the --db URL",
                "not a PostgreSQL URL: expected postgres://user:password@host:port/database, optionally with "
                    + "?sslmode=disable|prefer|require|verify-ca|verify-full and &sslrootcert=FILE")
        }
        return try PostgresStore(location: location, access: access, stateCacheEntries: stateCache)
    }
}
