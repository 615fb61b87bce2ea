import Engine
import MerchantConditions
import PluginTestSupport
import Testing

@Suite struct ChannelConditionTests {
    // MARK: configuration

    @Test(arguments: [
        "channel: online",
        "channel: in_store",
        "channel: [online]",
        "channel: [online, in_store]",
    ])
    func acceptsAValueOrAList(condition: String) throws {
        _ = try RulesFixture(partner: RulesFixture.partner(when: condition)).rules()
    }

    @Test(arguments: [
        ("channel: web", "6:18", "'web': expected online | in_store"),
        ("channel: in-store", "6:18", "'in-store': expected online | in_store"),
        ("channel: [online, web]", "6:27", "'web': expected online | in_store"),
        ("channel: []", "6:18", "expected online or in_store"),
        ("channel: { is: online }", "6:18", "expected a list, got a map"),
    ])
    func rejectsUnknownChannelsAtTheOffendingNode(condition: String, position: String, says: String) throws {
        let diagnostic = try RulesFixture(partner: RulesFixture.partner(when: condition)).diagnostic()
        expectDiagnostic(diagnostic, at: position, plugin: "channel", says: says)
    }

    // MARK: evaluation

    @Test(arguments: [
        ("channel: online", #""channel":"online""#, true),
        ("channel: online", #""channel":"in_store""#, false),
        ("channel: online", "", false),  // no channel on the payment
        ("channel: in_store", #""channel":"in_store""#, true),
        ("channel: in_store", #""channel":"online""#, false),
        ("channel: [online, in_store]", #""channel":"online""#, true),
        ("channel: [online, in_store]", #""channel":"in_store""#, true),
        ("channel: [online, in_store]", "", false),
    ])
    func holdsOnTheListedChannels(condition: String, merchant: String, holds: Bool) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: condition)))
        let decision = try run.process(EventJSON.payment(amount: "100.00", merchant: merchant))
        #expect(decision.lines == (holds ? [Decision.Line(rule: "shop/r", amount: 10_00)] : []))
    }

    @Test(arguments: [
        (#""channel":"in_store""#, "channel is in_store; rule wants online"), ("", "channel is unknown; rule wants online"),
    ])
    func explainsAFailureInWords(merchant: String, explanation: String) throws {
        let run = try DryRun(RulesFixture(partner: RulesFixture.partner(when: "channel: online")), explain: true)
        #expect(try run.failure(of: "shop/r", EventJSON.payment(merchant: merchant)) == explanation)
    }
}
