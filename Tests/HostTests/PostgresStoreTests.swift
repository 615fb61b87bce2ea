import Foundation
import Testing

/// What only the PostgreSQL store has: its lease refuses a second `process`, and its URL's
/// mistakes are clear. (The behaviour both backends share is tested on both, beside SQLite's
/// tests: `StoreBackend.available`.)
@Suite(.enabled(if: PostgresTestDatabase.isEnabled, "needs scripts/test's PostgreSQL cluster"))
struct PostgresStoreTests {
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
