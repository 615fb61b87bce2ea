import Engine
import Foundation
import Store
import Testing

/// A batch commits only under the lease token its state was read under: a leader that lost the
/// lease and won it back meanwhile (another host processed in between) must not commit what it
/// read before.
@Suite(.enabled(if: PostgresTestDatabase.isEnabled, "needs scripts/test's PostgreSQL cluster"))
struct PostgresFencingTests {
    @Test func aBatchReadUnderAnEarlierLeaseIsRefused() async throws {
        let database = try PostgresTestDatabase()
        defer { database.drop() }
        let store = try PostgresStore(location: try #require(PostgresLocation(url: database.url)), hostName: "a:1")
        defer { store.close() }
        let rules = try StoreTests.rules()
        let now = try Timestamp.parse("2026-11-05T11:00:00Z").get()
        _ = try await store.enqueue(groups: [[StoreTests.payment("p1", "20.00"), StoreTests.payment("p2", "30.00")]], now: now)
        try await store.recordRulesVersion(rules.version, files: [], now: now)
        #expect(try await store.claimLeadership(leaseSeconds: 60))
        let evaluator = BatchEvaluator(evaluator: Evaluator(rules: rules, explain: true), workers: 1)
        let batch = try await store.evaluate(try await store.claimBatch(after: nil, limit: 10), after: nil, with: evaluator)

        // Another host takes over, then dies; this host wins the lease back, with a new token.
        _ = try database.rows("UPDATE leadership SET token = token + 1, holder = 'b:2', expires_at = now() - interval '1 second'")
        #expect(try await store.claimLeadership(leaseSeconds: 60))
        #expect(try await store.leaseHolder()?.holder == "a:1")

        await #expect(throws: StoreError.self) {
            _ = try await store.commit(
                batch, evaluator: evaluator, rulesVersion: rules.version, confirmAfter: 0, now: now)
        }
        #expect(try database.rows("SELECT COUNT(*) FROM decisions") == ["0"], "nothing of the stale batch was written")
        // Read again under the new lease, the same events commit.
        let fresh = try await store.evaluate(try await store.claimBatch(after: nil, limit: 10), after: nil, with: evaluator)
        let summary = try await store.commit(
            fresh, evaluator: evaluator, rulesVersion: rules.version, confirmAfter: 0, now: now)
        #expect(summary.decisions == 2)
    }
}
