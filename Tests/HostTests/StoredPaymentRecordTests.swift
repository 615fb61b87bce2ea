import Engine
import Testing

@testable import Store

/// A `payments` row's record in its binary form reads back as saved (the conformance suite checks
/// it through the store), is told apart from the `PackedJSON` rows written before, and bytes
/// that are not one are refused.
@Suite struct StoredPaymentRecordTests {
    static let record: PaymentRecord = {
        let key = UsageKey(limit: "shop/base#0", account: "Zoé", period: PeriodKey(period: .month, index: 24_322))
        return PaymentRecord(
            id: "p1", account: "Zoé", partner: nil, currency: Currency(code: "EUR")!, amount: 10_000,
            occurredAt: Timestamp(epochSeconds: -86_401, nanoseconds: 5),
            lines: [RecordedLine(rule: "program/welcome", amount: 500, clawedBack: 20, usageKeys: [key])],
            countKeys: [key], refunded: 400, countsReleased: true)
    }()

    @Test func aRecordReadsBackWithTheIdItWasStoredUnder() throws {
        let bytes = StoredPaymentRecord.encode(Self.record)
        #expect(StoredPaymentRecord.isEncoded(bytes))
        #expect(try #require(StoredPaymentRecord.decode(bytes, id: "p1")) == Self.record)
    }

    @Test func packedJSONRowsAreNotTakenForIt() {
        let tags = (0...UInt8.max).compactMap(PackedJSON.Tag.init(rawValue:))
        #expect(!tags.isEmpty && tags.allSatisfy { !StoredPaymentRecord.isEncoded([$0.rawValue]) })
    }

    @Test func bytesThatAreNotARecordAreRefused() {
        let bytes = StoredPaymentRecord.encode(Self.record)
        #expect(StoredPaymentRecord.decode([], id: "p1") == nil)
        for length in [1, bytes.count / 2, bytes.count - 1] {
            #expect(StoredPaymentRecord.decode(Array(bytes.prefix(length)), id: "p1") == nil, "cut at \(length)")
        }
        #expect(StoredPaymentRecord.decode(bytes + [0], id: "p1") == nil, "a byte too many")
    }
}
