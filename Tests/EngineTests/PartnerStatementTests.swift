import Engine
import Testing

/// A statement's month is the partner's calendar month, and an open month holds only what is
/// payable by now.
@Suite struct PartnerStatementTests {
    static let euro = Currency(code: "EUR")!

    static func entry(_ amount: Int, at time: String, rule: String = "shop/base") -> StatementEntry {
        StatementEntry(
            rule: rule, currency: euro, amount: amount, payableAt: try! Timestamp.parse(time).get(), rulesVersion: "v1")
    }

    @Test func monthsAreThePartnersLocalMonths() throws {
        let paris = try #require(Zone(identifier: "Europe/Paris"))
        // 23:30 UTC on 30 November is 00:30 on 1 December in Paris.
        let entries = [Self.entry(500, at: "2026-11-30T23:30:00Z"), Self.entry(200, at: "2026-11-30T22:30:00Z")]
        let now = try Timestamp.parse("2027-01-15T00:00:00Z").get()
        let november = PartnerStatement(partner: "shop", year: 2026, month: 11, zone: paris, entries: entries, now: now)
        let december = PartnerStatement(partner: "shop", year: 2026, month: 12, zone: paris, entries: entries, now: now)
        #expect(november.sections["EUR"]?.total.net == 200)
        #expect(december.sections["EUR"]?.total.net == 500)
        #expect(december.sections["EUR"]?.days.keys.map(\.description) == ["2026-12-01"])
        let utc = PartnerStatement(partner: "shop", year: 2026, month: 11, zone: .utc, entries: entries, now: now)
        #expect(utc.sections["EUR"]?.total.net == 700)
        #expect(november.isClosed && december.isClosed)
    }

    @Test func anOpenMonthHoldsWhatIsPayableSoFarAndSplitsCreditsFromClawbacks() throws {
        let entries = [
            Self.entry(1_000, at: "2026-12-02T10:00:00Z"), Self.entry(-300, at: "2026-12-03T10:00:00Z"),
            Self.entry(250, at: "2026-12-03T11:00:00Z", rule: "shop/welcome"), Self.entry(900, at: "2026-12-20T10:00:00Z"),
        ]
        let now = try Timestamp.parse("2026-12-06T00:00:00Z").get()
        let statement = PartnerStatement(partner: "shop", year: 2026, month: 12, zone: .utc, entries: entries, now: now)
        #expect(!statement.isClosed)
        let section = try #require(statement.sections["EUR"])
        #expect(section.total.credits == 1_250 && section.total.clawbacks == -300, "the 20 December line is not payable yet")
        #expect(section.rules["shop/base"]?.net == 700 && section.rules["shop/welcome"]?.net == 250)
        #expect(section.days.count == 2)
        #expect(statement.monthText == "2026-12")
    }
}
