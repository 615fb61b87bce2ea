import Foundation
import GRDB
import Testing

/// A database an earlier release wrote (half processed, half still queued) opens with this
/// binary, which finishes its queue exactly as `dry-run` decides the whole stream.
@Suite struct UpgradeFixtureTests {
    /// The releases whose databases are kept (see each folder's README).
    static let releases = ["0.3.0", "219a688", "078be1f", "81f1f63"]

    static func fixture(_ release: String) -> URL {
        CashbackBinary.repositoryRoot.appendingPathComponent("Tests/Fixtures/upgrade/\(release)")
    }

    @Test(arguments: releases)
    func theEarlierReleasesDatabaseFinishesItsQueueAsDryRunDecides(release: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fixture = UpgradeFixtureTests.fixture(release)
        try FileManager.default.copyItem(
            at: fixture.appendingPathComponent("cashback.sqlite"), to: directory.url.appendingPathComponent("q.sqlite"))
        let rules = fixture.appendingPathComponent("rules").path
        let events = fixture.appendingPathComponent("events.jsonl").path

        let process = try CashbackBinary.run(["process", "--db", "q.sqlite", "--rules", rules], in: directory.url)
        #expect(process.status == 0, "\(process.stderr)")
        #expect(process.stderr.contains("queue.events=200"), "the 200 events the earlier release left queued")
        let decisions = try CashbackBinary.run(["decisions", "--db", "q.sqlite"], in: directory.url)
        let dryRun = try CashbackBinary.run(["dry-run", "--format", "json", "--rules", rules, events], in: directory.url)
        #expect(dryRun.status == 0 && !dryRun.lines.isEmpty)
        #expect(decisions.stdout == dryRun.stdout)
        #expect(try CashbackBinary.run(["check", "--db", "q.sqlite", "--full"], in: directory.url).status == 0)
        try UpgradeFixtureTests.expectPartnerTotalsAgreeWithTheRows(at: directory.path("q.sqlite"))
    }

    /// The running partner totals (carried over by the migrations, then kept by each batch) equal
    /// what the decisions and ledger lines add up to: the partner's own lines and the
    /// programme's on its payments.
    static func expectPartnerTotalsAgreeWithTheRows(at path: String) throws {
        let db = try DatabaseQueue(path: path)
        defer { try? db.close() }
        try db.read { db in
            let totals = try Row.fetchAll(
                db,
                sql: """
                    SELECT partner, currency, payments, rewarded, spend, cashback, clawbacks, bank_cashback, bank_clawbacks
                    FROM partner_totals ORDER BY partner, currency
                    """)
            let fromRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT partner, currency, SUM(payments) AS payments, SUM(rewarded) AS rewarded, SUM(spend) AS spend,
                           SUM(cashback) AS cashback, SUM(clawbacks) AS clawbacks, SUM(bank_cashback) AS bank_cashback,
                           SUM(bank_clawbacks) AS bank_clawbacks
                    FROM (
                      SELECT partner, currency, COUNT(*) AS payments, SUM(status = 'rewarded') AS rewarded,
                             SUM(payment_amount) AS spend, 0 AS cashback, 0 AS clawbacks, 0 AS bank_cashback,
                             0 AS bank_clawbacks
                      FROM decisions WHERE partner IS NOT NULL AND payment_amount IS NOT NULL GROUP BY partner, currency
                      UNION ALL
                      SELECT partner, currency, 0, 0, 0,
                             COALESCE(SUM(CASE WHEN amount > 0 AND rule LIKE partner || '/%' THEN amount END), 0),
                             COALESCE(SUM(CASE WHEN amount < 0 AND rule LIKE partner || '/%' THEN amount END), 0),
                             COALESCE(SUM(CASE WHEN amount > 0 AND rule NOT LIKE partner || '/%' THEN amount END), 0),
                             COALESCE(SUM(CASE WHEN amount < 0 AND rule NOT LIKE partner || '/%' THEN amount END), 0)
                      FROM ledger WHERE partner IS NOT NULL GROUP BY partner, currency
                    ) GROUP BY partner, currency ORDER BY partner, currency
                    """)
            #expect(!totals.isEmpty)
            #expect(totals == fromRows)
            let days = try Row.fetchAll(
                db,
                sql: """
                    SELECT partner, currency, day, budget_used FROM partner_days WHERE budget_used != 0
                    ORDER BY partner, currency, day
                    """)
            let daysFromRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT ledger.partner, ledger.currency, decisions.processed_at / 86400 AS day, SUM(ledger.amount) AS used
                    FROM ledger JOIN decisions ON decisions.position = ledger.decision_position
                    WHERE ledger.rule LIKE ledger.partner || '/%'
                    GROUP BY 1, 2, 3 HAVING used != 0 ORDER BY 1, 2, 3
                    """)
            #expect(!days.isEmpty)
            #expect(days.map { Array($0.databaseValues) } == daysFromRows.map { Array($0.databaseValues) })
        }
    }
}
