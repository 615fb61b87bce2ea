import Engine
import Testing

/// The queue's binary form of an event gives back the very event the parser made, fingerprint
/// included, and refuses bytes that are not one.
@Suite struct StoredEventTests {
    static let lines = [
        // A payment with every merchant field, a cross-border amount and a fraction of a second.
        #"{"id":"p1","account":"café","occurred_at":"2026-11-02T10:00:00.123456789+02:00","amount":"50.00","currency":"EUR","merchant":{"mid":"M1","siret":"12345678901234","name":"SHOP ☕","mcc":"5411","country":"FR","channel":"in_store"},"original_amount":"7000","original_currency":"JPY"}"#,
        // Fewest fields; before 1970; a currency without minor units.
        #"{"id":"p2","account":"a","occurred_at":"1969-12-31T23:59:59Z","amount":"1","currency":"JPY","merchant":{"name":"S"}}"#,
        // A payment naming an original_id, which its kind ignores: only the fingerprint keeps it.
        #"{"id":"p3","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"name":"S"},"original_id":"x"}"#,
        #"{"id":"r1","type":"refund","original_id":"p1","occurred_at":"2026-11-03T10:00:00Z","amount":"10.00","currency":"EUR"}"#,
        // A refund with an account and a merchant (ignored by its kind, kept by its fingerprint).
        #"{"id":"r2","type":"refund","account":"a","original_id":"p1","occurred_at":"2026-11-03T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"name":"S"}}"#,
        #"{"id":"v1","type":"reversal","original_id":"p2","occurred_at":"2026-11-04T10:00:00Z"}"#,
        // A reversal with an amount, which is validated and otherwise ignored.
        #"{"id":"v2","type":"reversal","account":"a","original_id":"p2","occurred_at":"2026-11-04T10:00:00Z","amount":"3","currency":"JPY"}"#,
    ]

    static func event(_ line: String) throws -> Event { try EventParser.parse(line: Array(line.utf8)).get() }

    @Test(arguments: lines)
    func decodesToTheParsedEventAndItsFingerprint(line: String) throws {
        let event = try StoredEventTests.event(line)
        let bytes = StoredEvent.encode(event)
        let decoded = try #require(StoredEvent.decode(bytes))
        #expect(decoded == event)
        #expect(decoded.fingerprint == event.fingerprint)
        #expect(bytes.count < line.utf8.count, "smaller than its JSON")
    }

    @Test func fieldsTheKindIgnoresMakeTheFingerprintExplicit() throws {
        let plain = StoredEvent.encode(try StoredEventTests.event(StoredEventTests.lines[3]))
        let withMerchant = try StoredEventTests.event(StoredEventTests.lines[4])
        let explicit = StoredEvent.encode(withMerchant)
        #expect(explicit.count >= 32 + plain.count, "the 32 bytes of the digest follow the fields")
        #expect(explicit[0] & 0x80 != 0 && plain[0] & 0x80 == 0)
    }

    @Test func bytesThatAreNotAnEventDecodeToNothing() throws {
        for line in StoredEventTests.lines {
            let bytes = StoredEvent.encode(try StoredEventTests.event(line))
            for length in 0..<bytes.count { #expect(StoredEvent.decode(Array(bytes[..<length])) == nil, "\(line) \(length)") }
            #expect(StoredEvent.decode(bytes + [0]) == nil, "trailing bytes")
        }
        #expect(StoredEvent.decode([0]) == nil)
        #expect(StoredEvent.decode([4, 0]) == nil)
        var unknownCurrency = StoredEvent.encode(try StoredEventTests.event(StoredEventTests.lines[1]))
        let code = try #require(unknownCurrency.firstIndex(of: UInt8(ascii: "J")))
        unknownCurrency[code] = UInt8(ascii: "Q")
        #expect(StoredEvent.decode(unknownCurrency) == nil, "QPY is no currency")
    }
}
