import Engine
import Testing

@Suite struct TimestampTests {
    @Test func sameInstantWithDifferentOffsetsIsEqual() throws {
        let utc = try Timestamp.parse("2026-11-02T10:00:00Z").get()
        let paris = try Timestamp.parse("2026-11-02T11:00:00+01:00").get()
        let fraction = try Timestamp.parse("2026-11-02T10:00:00.000Z").get()
        #expect(utc == paris)
        #expect(utc == fraction)
        #expect(utc.description == "2026-11-02T10:00:00Z")
    }

    @Test(arguments: [
        "2026-11-02T10:03:00", "2026-11-02 10:03:00Z", "2026-11-02T10:03Z", "26-11-02T10:03:00Z", "2026-11-02T10:03:00+0100",
        "2026-11-02T10:03:00.Z", "2026-11-02t10:03:00z",
    ])
    func rejectsMalformedText(text: String) {
        guard case .failure(.malformed) = Timestamp.parse(text) else {
            Issue.record("\(text) should be malformed")
            return
        }
    }

    @Test(arguments: [
        "2026-02-30T10:04:00Z", "2026-11-02T24:00:00Z", "2026-11-02T10:60:00Z", "2026-12-31T23:59:60Z",
        "2026-11-02T10:00:00+24:00",
    ])
    func rejectsDatesAndTimesThatDoNotExist(text: String) {
        guard case .failure(.invalidValue) = Timestamp.parse(text) else {
            Issue.record("\(text) should be invalid")
            return
        }
    }

    @Test func leapDayExistsOnlyInLeapYears() {
        #expect((try? Timestamp.parse("2028-02-29T00:00:00Z").get()) != nil)
        #expect((try? Timestamp.parse("2026-02-29T00:00:00Z").get()) == nil)
    }
}

@Suite struct ZoneTests {
    @Test func parisIsOneHourAheadInWinterAndTwoInSummer() throws {
        let paris = try #require(Zone(identifier: "Europe/Paris"))
        let winter = paris.localTime(try Timestamp.parse("2026-11-30T23:30:00Z").get())
        #expect(winter.date.description == "2026-12-01")
        #expect(winter.secondOfDay == 30 * 60)
        let summer = paris.localTime(try Timestamp.parse("2026-07-14T22:30:00Z").get())
        #expect(summer.date.description == "2026-07-15")
        #expect(summer.secondOfDay == 30 * 60)
    }

    @Test func daylightSavingSwitchIsExact() throws {
        let paris = try #require(Zone(identifier: "Europe/Paris"))
        // 2026-03-29 01:00Z: clocks go from 02:00 to 03:00 local.
        #expect(paris.offset(at: try Timestamp.parse("2026-03-29T00:59:59Z").get()) == 3600)
        #expect(paris.offset(at: try Timestamp.parse("2026-03-29T01:00:00Z").get()) == 7200)
    }

    @Test func unknownZonesAreRejected() {
        #expect(Zone(identifier: "Mars/Olympus") == nil)
        #expect(Zone(identifier: "UTC") != nil)
    }

    @Test func weekdaysAndIsoWeeks() throws {
        let monday = try #require(CivilDate(iso: "2026-11-02"))
        #expect(monday.weekday == .mon)
        #expect(try #require(CivilDate(iso: "2026-11-08")).weekday == .sun)
        #expect(Period.week.key(for: try #require(CivilDate(iso: "2026-11-08"))) == Period.week.key(for: monday))
        #expect(Period.week.key(for: try #require(CivilDate(iso: "2026-11-09"))) != Period.week.key(for: monday))
        #expect(Period.month.key(for: monday).description == "2026-11")
        // An ISO week across the new year: Mon 2026-12-28 … Sun 2027-01-03.
        #expect(
            Period.week.key(for: try #require(CivilDate(iso: "2027-01-03")))
                == Period.week.key(for: try #require(CivilDate(iso: "2026-12-28"))))
    }

    @Test func civilDatesRoundTripThroughDayNumbers() {
        for days in stride(from: -1000, through: 50_000, by: 37) {
            #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }
}

@Suite struct PaymentRecordTests {
    @Test func compactJSONRoundTrips() {
        let key = UsageKey(limit: "shop/base#limit1", account: "a \"1\"", period: PeriodKey(period: .month, index: 24_310))
        let record = PaymentRecord(
            id: "p1", account: "a \"1\"", partner: "shop", currency: Currency(code: "KWD")!, amount: 12_345,
            occurredAt: Timestamp(epochSeconds: 1_790_000_000, nanoseconds: 5),
            lines: [
                RecordedLine(
                    rule: "shop/base", amount: 617, clawedBack: 100,
                    usageKeys: [
                        key, UsageKey(limit: "shop#budget", account: nil, period: PeriodKey(period: .lifetime, index: 0)),
                    ])
            ],
            countKeys: [key], refunded: 2_000, countsReleased: false)
        #expect(PaymentRecord(jsonText: record.jsonText) == record)
        let bare = PaymentRecord(
            id: "p2", account: "b", partner: nil, currency: Currency(code: "EUR")!, amount: 1,
            occurredAt: Timestamp(epochSeconds: 0),
            lines: [], countKeys: [], refunded: 0, countsReleased: true)
        #expect(PaymentRecord(jsonText: bare.jsonText) == bare)
        #expect(PaymentRecord(jsonText: "{}") == nil)
    }
}
