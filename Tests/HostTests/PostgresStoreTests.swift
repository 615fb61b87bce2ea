import Foundation
import Store
import Testing

/// What only the PostgreSQL store has: its lease refuses a second `process`, and its URL's
/// mistakes are clear. (The behaviour both backends share is tested on both, beside SQLite's
/// tests: `StoreBackend.available`.)
@Suite(.enabled(if: PostgresTestDatabase.isEnabled, "needs scripts/test's PostgreSQL cluster"))
struct PostgresStoreTests {
    /// The ledger and the feed, line for line and entry for entry, as SQLite has them: the same
    /// ids, nettings, statuses and cursors, with clawbacks of lines pending, due and confirmed.
    @Test func theLedgerAndTheFeedAreSQLitesRowForRow() async throws {
        let directory = try QueueCommandTests.workload(events: 5_000)
        defer { directory.remove() }
        let databases = try [StoreBackend.sqlite, .postgres].map { try CommandDatabase($0, in: directory) }
        defer { databases.forEach { $0.drop() } }
        let ledger = """
            SELECT id || '|' || decision_position || '|' || event_id || '|' || rule || '|' || amount || '|' || confirm_at
              || '|' || status || '|' || COALESCE(original_event_id, '') || '|' || COALESCE(nets_ledger_id, 0)
            FROM ledger ORDER BY id
            """
        var tables: [[String]] = []
        var feeds: [[Credit]] = []
        // Two runs a month apart: lines netted in the first fall due in the second.
        let events = try String(contentsOf: directory.url.appendingPathComponent("events.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        try directory.write("first.jsonl", events[..<2_500].joined(separator: "\n") + "\n")
        try directory.write("second.jsonl", events[2_500...].joined(separator: "\n") + "\n")
        for database in databases {
            for (file, now) in [("first.jsonl", "2026-11-20T00:00:00Z"), ("second.jsonl", "2026-12-20T00:00:00Z")] {
                #expect(try CashbackBinary.run(["enqueue", "--db", database.argument, file], in: directory.url).status == 0)
                let process = try CashbackBinary.run(
                    ["process", "--db", database.argument, "--rules", "rules", "--batch-size", "64", "--now", now],
                    in: directory.url)
                #expect(process.status == 0, "\(process.stderr)")
            }
            tables.append(try database.texts(ledger))
            if let location = PostgresLocation(url: database.location) {
                let store = try PostgresStore(location: location, access: .readOnly)
                defer { store.close() }
                feeds.append(try await store.credits(after: 0, limit: 100_000))
            } else {
                feeds.append(try await SQLiteStore(path: database.location, access: .readOnly).credits(after: 0, limit: 100_000))
            }
        }
        let netted = try databases[1].texts("SELECT COUNT(*) FROM ledger WHERE nets_ledger_id IS NOT NULL")
        #expect(netted != ["0"], "some clawback reduced a pending line")
        let debits = try databases[1].texts("SELECT COUNT(*) FROM credits WHERE kind = 'debit'")
        #expect(debits != ["0"], "some clawback came after its line was due")
        #expect(tables[0].count > 1_000 && feeds[0].count > 100, "\(feeds[0].count) feed entries")
        #expect(tables[0] == tables[1])
        #expect(feeds[0] == feeds[1])
    }

    @Test func aSecondProcessIsRefusedWhileAnotherLeads() throws {
        let directory = try QueueCommandTests.workload(events: 200)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        #expect(try CashbackBinary.run(["enqueue", "--db", database.url, "events.jsonl"], in: directory.url).status == 0)
        // A lease far from running out, held by another host.
        _ = try database.rows(
            "UPDATE leadership SET token = token + 1, holder = 'elsewhere:1', expires_at = now() + interval '1 hour'")
        let process = try CashbackBinary.run(["process", "--db", database.url, "--rules", "rules"], in: directory.url)
        #expect(process.status != 0)
        #expect(process.stderr.contains("another host leads its scheduler (elsewhere:1)"), "\(process.stderr)")
        #expect(try database.rows("SELECT COUNT(*) FROM decisions") == ["0"], "it changed nothing")
    }

    @Test func aBadURLOrAnUnreachableServerIsAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let malformed = try CashbackBinary.run(["decisions", "--db", "postgres://"], in: directory.url)
        #expect(malformed.status != 0)
        #expect(malformed.stderr.contains("not a PostgreSQL URL"), "\(malformed.stderr)")
        // Port 1 on loopback: nothing listens there.
        let unreachable = try CashbackBinary.run(
            ["decisions", "--db", "postgres://cashback:secret@127.0.0.1:1/cashback"], in: directory.url)
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("postgres://cashback@127.0.0.1:1/cashback: cannot open the database"))
        #expect(!unreachable.stderr.contains("secret"), "the password is never printed")
        guard let server = PostgresTestDatabase.server else { return }
        let password = try #require(server.split(separator: ":").dropFirst(2).first?.split(separator: "@").first)
        let missing = try CashbackBinary.run(["explain", "nope", "--db", server], in: directory.url)
        #expect(missing.status != 0)
        #expect(!missing.stderr.isEmpty && !missing.stderr.contains(password), "\(missing.stderr)")
    }
}
