import Foundation

/// A fresh database on the throwaway PostgreSQL cluster of the test run: `scripts/test` starts
/// one (`scripts/postgres-throwaway`) and names it in `CASHBACK_TEST_POSTGRES`. Each test makes
/// its own database and drops it when done, so the tests run in parallel.
struct PostgresTestDatabase {
    /// The cluster's URL (its `postgres` database).
    static let server = ProcessInfo.processInfo.environment["CASHBACK_TEST_POSTGRES"]
    /// Whether the PostgreSQL tests run: with a cluster, and always in CI (where a missing
    /// cluster fails them instead of skipping them).
    static let isEnabled = server != nil || ProcessInfo.processInfo.environment["CI"] != nil

    /// The database's URL, for `--db`.
    let url: String
    let name: String

    struct NoCluster: Error, CustomStringConvertible {
        var description: String { "no PostgreSQL cluster: run the tests with scripts/test (CASHBACK_TEST_POSTGRES)" }
    }

    struct QueryFailed: Error, CustomStringConvertible {
        let description: String
    }

    init() throws {
        guard let server = PostgresTestDatabase.server, server.hasSuffix("/postgres") else { throw NoCluster() }
        name = "cashback_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try PostgresTestDatabase.psql(server, "CREATE DATABASE \(name)")
        url = String(server.dropLast("postgres".count)) + name
    }

    /// The rows `sql` returns in the test's database, each as its columns joined by `|`.
    func rows(_ sql: String) throws -> [String] { try PostgresTestDatabase.psql(url, sql) }

    /// Runs `sql` on the cluster's `postgres` database (to change the test's database itself).
    func onServer(_ sql: String) throws {
        guard let server = PostgresTestDatabase.server else { throw NoCluster() }
        _ = try PostgresTestDatabase.psql(server, sql)
    }

    /// Drops the database (closing its connections).
    func drop() {
        guard let server = PostgresTestDatabase.server else { return }
        _ = try? PostgresTestDatabase.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func psql(_ url: String, _ sql: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = [url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw QueryFailed(description: "psql: \(String(decoding: errorData, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
