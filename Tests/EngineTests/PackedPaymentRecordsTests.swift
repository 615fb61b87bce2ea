import Engine
import Testing

/// The in-memory state packs payment records into bytes: every record reads back exactly as it
/// was saved, whatever its lines and keys, and a record saved again reads back as saved last.
@Suite struct PackedPaymentRecordsTests {
    static let euro = Currency(code: "EUR")!
    static let yen = Currency(code: "JPY")!

    static func key(_ limit: String, account: String?, _ period: Period, _ index: Int) -> UsageKey {
        UsageKey(limit: limit, account: account, period: PeriodKey(period: period, index: index))
    }

    static let records = [
        PaymentRecord(
            id: "p1", account: "a1", partner: nil, currency: euro, amount: 1, occurredAt: Timestamp(epochSeconds: 0),
            lines: [], countKeys: []),
        PaymentRecord(
            id: "p2", account: "Zoé ✓", partner: "shop", currency: yen, amount: 1_000_000_000_000,
            occurredAt: Timestamp(epochSeconds: -86_401, nanoseconds: 999_999_999),
            lines: [
                RecordedLine(
                    rule: "shop/base", amount: 500, clawedBack: 125,
                    usageKeys: [
                        key("shop/base#limit1", account: "Zoé ✓", .month, 24_322),
                        key("shop#budget", account: nil, .lifetime, 0),
                    ]),
                RecordedLine(
                    rule: "program/welcome", amount: 1_000_000_000_000, clawedBack: 0,
                    usageKeys: [key("program#limit1", account: "Zoé ✓", .week, -3)]),
            ],
            countKeys: [key("shop#budget", account: nil, .lifetime, 0), key("program#limit1", account: "Zoé ✓", .week, -3)],
            refunded: 2_000_000_000_000, countsReleased: true),
        PaymentRecord(
            id: "p3", account: "a3", partner: "", currency: euro, amount: 42,
            occurredAt: Timestamp(epochSeconds: Int64(Int32.max) * 4, nanoseconds: 1),
            lines: [RecordedLine(rule: "x/y", amount: 42, usageKeys: [key("x/y#limit1", account: "a3", .day, 20_000)])],
            countKeys: [key("x/y#limit1", account: "a3", .day, 20_000)]),
    ]

    @Test func everyRecordReadsBackAsSaved() {
        let state = InMemoryState()
        for record in Self.records {
            state.recordPayment(record, seen: SeenEvent(kind: .payment, fingerprint: Fingerprint(canonicalText: record.id)))
        }
        for record in Self.records { #expect(state.payment(record.id) == record) }
        #expect(state.payment("p4") == nil)
    }

    @Test func aRecordSavedAgainReadsBackAsSavedLast() {
        let state = InMemoryState(expectedEvents: 2)
        for record in Self.records { state.savePayment(record) }
        var changed = Self.records[1]
        changed.refunded = 7
        changed.lines[0].clawedBack = 500
        changed.countsReleased = false
        state.savePayment(changed)
        #expect(state.payment("p2") == changed)
        #expect(state.payment("p1") == Self.records[0])
        #expect(state.payment("p3") == Self.records[2])
        #expect(state.seenEvent("p2") == nil, "saving a record does not mark its id seen")
    }
}
