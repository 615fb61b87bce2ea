import Foundation
import GRDB
import Store
import Testing

/// The credits feed names itself: fixed when the database is created, kept across restarts,
/// different for another database, and given to a database an earlier release wrote.
@Suite struct CreditsFeedIdentityTests {
    @Test(arguments: StoreBackend.available) func theFeedKeepsItsIdentityAndAnotherDatabaseHasAnother(
        backend: StoreBackend
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let one = try CommandDatabase(backend, in: directory, file: "a.sqlite")
        let another = try CommandDatabase(backend, in: directory, file: "b.sqlite")
        defer { [one, another].forEach { $0.drop() } }
        func feed(_ database: CommandDatabase, _ access: SQLiteStore.Access = .readWrite) async throws -> String {
            if let location = PostgresLocation(url: database.location) {
                let store = try PostgresStore(location: location, access: access)
                defer { store.close() }
                return try await store.feedID()
            }
            return try await SQLiteStore(path: database.location, access: access).feedID()
        }
        let first = try await feed(one)
        #expect(first.range(of: "^[0-9a-f]{32}$", options: .regularExpression) != nil, "\(first)")
        #expect(try await feed(one) == first, "kept when opened again")
        #expect(try await feed(one, .readOnly) == first)
        #expect(try await feed(another) != first, "another database, another feed")
    }

    @Test func aDatabaseFromTheEarlierReleaseGetsAnIdentityWhenOpened() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("old.sqlite")
        // What the earlier release wrote: its one migration, and an event in the queue.
        let old = try DatabaseQueue(path: path)
        try SQLiteStore.migrator.migrate(old, upTo: "2026-11-25 queue, state, decisions, ledger")
        try await old.write { db in
            try db.execute(sql: "INSERT INTO queue (event_id, body, accepted_at) VALUES ('p1', '{}', 0)")
        }
        try old.close()
        let store = try SQLiteStore(path: path)
        #expect(try await store.feedID().count == 32)
        #expect(try store.queueDepth() == 1, "the earlier release's queue is kept")
    }
}
