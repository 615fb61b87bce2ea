import Foundation
import Testing

/// A database an earlier release wrote (half processed, half still queued) opens with this
/// binary, which finishes its queue exactly as `dry-run` decides the whole stream.
@Suite struct UpgradeFixtureTests {
    static let fixture = CashbackBinary.repositoryRoot.appendingPathComponent("Tests/Fixtures/upgrade/0.3.0")

    @Test func theEarlierReleasesDatabaseFinishesItsQueueAsDryRunDecides() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try FileManager.default.copyItem(
            at: UpgradeFixtureTests.fixture.appendingPathComponent("cashback.sqlite"),
            to: directory.url.appendingPathComponent("q.sqlite"))
        let rules = UpgradeFixtureTests.fixture.appendingPathComponent("rules").path
        let events = UpgradeFixtureTests.fixture.appendingPathComponent("events.jsonl").path

        let process = try CashbackBinary.run(["process", "--db", "q.sqlite", "--rules", rules], in: directory.url)
        #expect(process.status == 0, "\(process.stderr)")
        #expect(process.stderr.contains("queue.events=200"), "the 200 events the earlier release left queued")
        let decisions = try CashbackBinary.run(["decisions", "--db", "q.sqlite"], in: directory.url)
        let dryRun = try CashbackBinary.run(["dry-run", "--format", "json", "--rules", rules, events], in: directory.url)
        #expect(dryRun.status == 0 && !dryRun.lines.isEmpty)
        #expect(decisions.stdout == dryRun.stdout)
        #expect(try CashbackBinary.run(["check", "--db", "q.sqlite", "--full"], in: directory.url).status == 0)
    }
}
