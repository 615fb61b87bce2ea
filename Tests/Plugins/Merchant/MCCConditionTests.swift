import Engine
import MerchantConditions
import PluginTestSupport
import Testing

@Suite struct MCCConditionTests {
    // MARK: configuration

    @Test(arguments: [
        #"mcc: ["5411", "5812-5814"]"#,
        "mcc: [5411, 5812-5814]",
        "mcc: [0742]",  // unquoted: still an MCC, not a YAML 1.1 octal number
        #"mcc: "5411""#,
        #"mcc: ["5812-5812"]"#,
    ])
    func acceptsCodesAndInclusiveRanges(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        (#"mcc: ["541"]"#, "6:15", "'541' is not an MCC (4 digits) or a range of two"),
        (#"mcc: ["5411", "54111"]"#, "6:23", "'54111' is not an MCC (4 digits) or a range of two"),
        (#"mcc: ["54a1"]"#, "6:15", "'54a1' is not an MCC (4 digits) or a range of two"),
        (#"mcc: ["5812-"]"#, "6:15", "'5812-' is not an MCC (4 digits) or a range of two"),
        (#"mcc: ["5812-5813-5814"]"#, "6:15", "'5812-5813-5814' is not an MCC (4 digits) or a range of two"),
        (#"mcc: ["5814-5812"]"#, "6:15", "range '5814-5812' runs backwards"),
        ("mcc: []", "6:14", "expected at least one MCC"),
        (#"mcc: { code: "5411" }"#, "6:14", "expected a list, got a map"),
    ])
    func rejectsMalformedCodesAtTheOffendingNode(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "mcc", says: says)
    }

    // MARK: evaluation

    @Test(arguments: [
        (#""mcc":"5411""#, true),
        (#""mcc":"5412""#, false),
        (#""mcc":"5811""#, false),
        (#""mcc":"5812""#, true),  // ranges are inclusive at both ends
        (#""mcc":"5813""#, true),
        (#""mcc":"5814""#, true),
        (#""mcc":"5815""#, false),
        ("", false),  // no mcc on the payment
    ])
    func holdsOnListedCodesAndRanges(merchant: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: #"mcc: ["5411", "5812-5814"]"#)))
        let decision = try run.process(EventJSON.payment(amount: "100.00", merchant: merchant))
        #expect(decision.lines == (holds ? [Decision.Line(rule: "shop/r", amount: 10_00)] : []))
    }

    @Test(arguments: [("0742", true), ("0482", false)])
    func keepsLeadingZerosOfUnquotedCodes(mcc: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "mcc: [0742]")))
        let decision = try run.process(EventJSON.payment(merchant: #""mcc":"\#(mcc)""#))
        #expect(decision.lines.map(\.rule) == (holds ? ["shop/r"] : []))
    }

    @Test(arguments: [
        (#""mcc":"5412""#, "mcc is 5412; rule wants 5411, 5812-5814"), ("", "mcc is unknown; rule wants 5411, 5812-5814"),
    ])
    func explainsAFailureInWords(merchant: String, explanation: String) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: #"mcc: ["5411", "5812-5814"]"#)), explain: true)
        #expect(try run.failure(of: "shop/r", EventJSON.payment(merchant: merchant)) == explanation)
    }
}
