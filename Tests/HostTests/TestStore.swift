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

    /// Runs `sql` beside the store (to break or mend its tables).
    func execute(_ sql: String) async throws {
        if let database {
            _ = try database.rows(sql)
            return
        }
        let queue = try DatabaseQueue(path: directory.path("s.sqlite"))
        defer { try? queue.close() }
        try await queue.write { db in try db.execute(sql: sql) }
    }

    /// The first column of `sql`'s rows, as texts.
    func texts(_ sql: String) async throws -> [String] {
        if let database { return try database.rows(sql) }
        return try await DatabaseQueue(path: directory.path("s.sqlite")).read { db in try String.fetchAll(db, sql: sql) }
    }
}

/// A fresh database for the commands' `--db`, on one backend: a SQLite file in the test's
/// directory, or a database of its own on the test run's PostgreSQL cluster.
struct CommandDatabase {
    /// What `--db` takes: the file's name (relative to the test's directory) or the URL.
    let argument: String
    /// The file's absolute path or the URL, for a store opened in this process.
    var location: String { postgres == nil ? directory.path(argument) : argument }
    private let directory: TemporaryDirectory
    private let postgres: PostgresTestDatabase?

    init(_ backend: StoreBackend, in directory: TemporaryDirectory, file: String = "q.sqlite") throws {
        self.directory = directory
        switch backend {
        case .sqlite: (argument, postgres) = (file, nil)
        case .postgres:
            let database = try PostgresTestDatabase()
            (argument, postgres) = (database.url, database)
        }
    }

    /// The first column of `sql`'s rows, as texts, read beside the commands.
    func texts(_ sql: String) throws -> [String] {
        if let postgres { return try postgres.rows(sql) }
        let queue = try DatabaseQueue(path: directory.path(argument))
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: sql) }
    }

    /// The number of events accepted and not yet processed.
    func queueDepth() throws -> Int {
        Int(try texts("SELECT COUNT(*) FROM queue WHERE seq > (SELECT processed_through FROM progress)").first ?? "") ?? -1
    }

    /// Drops the PostgreSQL database (the SQLite file goes with the test's directory).
    func drop() { postgres?.drop() }
}
