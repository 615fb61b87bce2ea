import Engine
import Testing

@Suite struct EventParserTests {
    static let payment =
        #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"50.00","currency":"EUR","merchant":{"name":"SHOP","mcc":"5411","country":"FR","channel":"online"}}"#

    func parse(_ text: String) -> Result<Event, EventError> { EventParser.parse(line: Array(text.utf8)) }

    @Test func parsesAValidPaymentWithDefaults() throws {
        let event = try parse(EventParserTests.payment).get()
        #expect(event.kind == .payment)
        guard case .payment(let payment) = event else { return }
        #expect(payment.amount == 5000)
        #expect(payment.currency.code == "EUR")
        #expect(payment.merchant.channel == .online)
    }

    @Test func amountsCompareByValueAndInstantsByInstant() throws {
        let a = try parse(
            #"{"id":"p","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"10.5","currency":"EUR","merchant":{"name":"S"}}"#
        ).get()
        let b = try parse(
            #"{"merchant":{"name":"S"},"id":"p","account":"a","occurred_at":"2026-11-02T11:00:00+01:00","amount":10.50,"currency":"EUR","type":"payment","note":"x"}"#
        ).get()
        #expect(a.fingerprint == b.fingerprint)
        let c = try parse(
            #"{"id":"p","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"10.51","currency":"EUR","merchant":{"name":"S"}}"#
        ).get()
        #expect(a.fingerprint != c.fingerprint)
    }

    @Test(arguments: [
        (
            #"{"id":"x","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":null,"currency":"EUR","merchant":{"name":"S"}}"#,
            "amount"
        ),
        (
            #"{"id":"x","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"name":"S"},"original_amount":"2.00"}"#,
            "original_currency"
        ),
        (
            #"{"id":"x","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"name":"S","country":"fr"}}"#,
            "merchant.country"
        ),
        (
            #"{"id":"x","type":"refund","original_id":"p","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"mcc":"12"}}"#,
            "merchant.mcc"
        ),
        (#"{"id":"x","type":"refund","original_id":"p","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00"}"#, "currency"),
        (#"{"id":"x","type":"reversal","occurred_at":"2026-11-02T10:00:00Z"}"#, "original_id"),
        (
            #"{"id":"x","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1","currency":"JPY","merchant":{"name":"S"},"account":5}"#,
            "account"
        ),
        (
            #"{"id":"x","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":1e3,"currency":"EUR","merchant":{"name":"S"}}"#,
            "amount"
        ),
        (#"{"id":"","account":"a"}"#, "id"),
    ])
    func invalidEventsNameTheirField(text: String, field: String) {
        guard case .failure(let error) = parse(text) else {
            Issue.record("\(text) should be invalid")
            return
        }
        #expect(error.field == field, "\(error)")
    }

    @Test func invalidEventsKeepTheirIdWhenValid() {
        guard
            case .failure(let error) = parse(
                #"{"id":"v3","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"name":"S"}}"#)
        else {
            Issue.record("should be invalid")
            return
        }
        #expect(error.eventID == "v3")
        #expect(error.description == "account: missing (required for a payment)")
    }

    @Test func reversalNeedsNoAmount() throws {
        let event = try parse(#"{"id":"r","type":"reversal","original_id":"p1","occurred_at":"2026-11-02T10:00:00Z"}"#).get()
        guard case .reversal(let reversal) = event else {
            Issue.record("\(event) should be a reversal")
            return
        }
        #expect(reversal.originalID == "p1")
    }

    @Test func amountLimitIsInclusive() {
        #expect(
            (try? parse(
                #"{"id":"x","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"10000000000.00","currency":"EUR","merchant":{"name":"S"}}"#
            ).get()) != nil)
        #expect(
            (try? parse(
                #"{"id":"x","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1000000000001","currency":"JPY","merchant":{"name":"S"}}"#
            ).get()) == nil)
    }
}
