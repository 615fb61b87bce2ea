import Foundation
import GRDB
import Store
import Testing

/// The store backends a behaviour test runs on.
enum StoreBackend: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    /// SQLite, and PostgreSQL when the test run has a cluster (`PostgresTestDatabase`).
    static var available: [StoreBackend] { PostgresTestDatabase.isEnabled ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// A fresh store on one backend for a test: a SQLite file in a temporary directory, or a
/// database of its own on the test run's PostgreSQL cluster, whose scheduler lease this
/// process holds.
struct TestStore {
    let store: any Storage
    let directory: TemporaryDirectory
    let database: PostgresTestDatabase?

    init(_ backend: StoreBackend) async throws {
        directory = try TemporaryDirectory()
        switch backend {
        case .sqlite:
            store = try SQLiteStore(path: directory.path("s.sqlite"))
            database = nil
        case .postgres:
            let database = try PostgresTestDatabase()
            let postgres = try PostgresStore(location: try #require(PostgresLocation(url: database.url)))
            #expect(try await postgres.claimLeadership(leaseSeconds: 600))
            (store, self.database) = (postgres, database)
        }
    }

    func remove() {
        directory.remove()
        database?.drop()
    }

    /// The first column of `sql`'s rows, as texts.
    func texts(_ sql: String) async throws -> [String] {
        if let database { return try database.rows(sql) }
        return try await DatabaseQueue(path: directory.path("s.sqlite")).read { db in try String.fetchAll(db, sql: sql) }
    }
}

extension StoreBackend {
    /// A fresh database for the commands' `--db`: a file name (in the test's directory) or a
    /// PostgreSQL URL, and what drops it.
    func commandDatabase() throws -> (db: String, drop: () -> Void) {
        switch self {
        case .sqlite: return ("q.sqlite", {})
        case .postgres:
            let database = try PostgresTestDatabase()
            return (database.url, database.drop)
        }
    }
}
