import Foundation
import Testing

/// Encrypted connections to PostgreSQL, named as libpq names them in the URL: `sslmode` and
/// `sslrootcert`. The test run's cluster takes TLS with a certificate for localhost and
/// 127.0.0.1 from a throwaway authority (`scripts/postgres-throwaway --tls`), whose
/// certificate `CASHBACK_TEST_POSTGRES_CA` names.
@Suite(.enabled(if: PostgresTestDatabase.isEnabled, "needs scripts/test's PostgreSQL cluster"))
struct PostgresTLSTests {
    static let authority = ProcessInfo.processInfo.environment["CASHBACK_TEST_POSTGRES_CA"]

    /// The database's URL for the host `localhost`, with `query`.
    static func url(_ database: PostgresTestDatabase, _ query: String) -> String {
        database.url.replacingOccurrences(of: "@127.0.0.1:", with: "@localhost:") + "?" + query
    }

    @Test func verifyFullWithTheServersAuthorityConnectsEncrypted() async throws {
        let authority = try #require(PostgresTLSTests.authority, "CASHBACK_TEST_POSTGRES_CA names the cluster's authority")
        let directory = try QueueCommandTests.workload(events: 50)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let db = PostgresTLSTests.url(database, "sslmode=verify-full&sslrootcert=\(authority)")
        let enqueue = try CashbackBinary.run(["enqueue", "--db", db, "events.jsonl"], in: directory.url)
        #expect(enqueue.status == 0, "\(enqueue.stderr)")

        let service = try RunningService(in: directory, arguments: ["--rules", "rules", "--db", db])
        var ready = try await service.request("GET", "/readyz")
        let deadline = Date().addingTimeInterval(30)
        while !ready.body.contains(#""queue_depth":0"#) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            ready = try await service.request("GET", "/readyz")
        }
        #expect(ready.status == 200 && ready.body.contains(#""queue_depth":0"#), "\(ready.body)")
        let sessions = try database.rows(
            """
            SELECT COUNT(*), bool_and(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid)
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """)
        #expect(sessions.first?.hasSuffix("|t") == true && sessions.first?.hasPrefix("0|") == false, "\(sessions)")
        #expect(service.terminate() == 0)
        let decisions = try CashbackBinary.run(["decisions", "--db", db], in: directory.url)
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--format", "json", "--rules", "rules", "events.jsonl"], in: directory.url)
        #expect(!decisions.stdout.isEmpty && decisions.stdout == dryRun.stdout, "\(decisions.stderr)")
    }

    @Test func aCertificateNoTrustedAuthorityVouchesForIsRefused() throws {
        let directory = try QueueCommandTests.workload(events: 5)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        // The system's authorities do not know the throwaway one.
        let untrusted = try CashbackBinary.run(
            ["enqueue", "--db", PostgresTLSTests.url(database, "sslmode=verify-full"), "events.jsonl"], in: directory.url)
        #expect(untrusted.status != 0)
        #expect(untrusted.stderr.contains("cannot open the database"), "\(untrusted.stderr)")
        #expect(untrusted.stderr.localizedCaseInsensitiveContains("certificate"), "\(untrusted.stderr)")
        #expect(try database.rows("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'queue'") == ["0"], "nothing was written")

        let missing = try CashbackBinary.run(
            ["enqueue", "--db", PostgresTLSTests.url(database, "sslmode=verify-ca&sslrootcert=/no/such/ca.crt"), "events.jsonl"],
            in: directory.url)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("sslrootcert=/no/such/ca.crt"), "\(missing.stderr)")

        let unknownMode = try CashbackBinary.run(
            ["enqueue", "--db", PostgresTLSTests.url(database, "sslmode=always"), "events.jsonl"], in: directory.url)
        #expect(unknownMode.status != 0)
        #expect(unknownMode.stderr.contains("sslmode=disable|prefer|require|verify-ca|verify-full"), "\(unknownMode.stderr)")
    }

    @Test func requireIsRefusedByAServerWithoutTLSAndDisableNeedsNone() throws {
        let directory = try QueueCommandTests.workload(events: 5)
        defer { directory.remove() }
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let plain = try CashbackBinary.run(
            ["enqueue", "--db", database.url + "?sslmode=disable", "events.jsonl"], in: directory.url)
        #expect(plain.status == 0, "\(plain.stderr)")
        // The standby pair's primary takes no TLS.
        guard let pair = ProcessInfo.processInfo.environment["CASHBACK_TEST_POSTGRES_STANDBY"] else { return }
        let primary = try #require(pair.split(separator: " ").first.map(String.init))
        let refused = try CashbackBinary.run(
            ["decisions", "--db", primary + "?sslmode=require"], in: directory.url)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("does not accept TLS"), "\(refused.stderr)")
    }
}
