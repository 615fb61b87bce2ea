import BuiltinPlugins
import Engine
import Testing

/// Event input bounds, duplicate keys and messages that quote input (issue 8, C).
@Suite struct HostileInputTests {
    static func event(_ fields: String) -> String {
        #"{"id":"p1","occurred_at":"2026-11-02T10:00:00Z","currency":"EUR","#
            + fields + "}"
    }

    static func payment(
        account: String = "a1", amount: String = #""12.00""#, merchant: String = #"{"mid":"M1"}"#, extra: String = ""
    )
        -> String
    {
        event(#""account":"\#(account)","amount":\#(amount),"merchant":\#(merchant)"# + extra)
    }

    static func parse(_ text: String) -> Result<Event, EventError> { EventParser.parse(line: Array(text.utf8)) }

    static func error(_ text: String) -> EventError? {
        guard case .failure(let error) = parse(text) else { return nil }
        return error
    }

    // MARK: lengths count Unicode scalars

    @Test func oneGraphemeOfThousandsOfScalarsIsTooLongForEveryBoundedField() throws {
        let combining = "a" + String(repeating: "\u{301}", count: 5_000)
        #expect(combining.count == 1, "one Character")
        #expect(HostileInputTests.error(HostileInputTests.payment(account: combining))?.field == "account")
        #expect(
            HostileInputTests.error(HostileInputTests.payment(merchant: #"{"mid":"\#(combining)"}"#))?.field == "merchant.mid")
        #expect(
            HostileInputTests.error(HostileInputTests.payment(merchant: #"{"name":"\#(combining)"}"#))?.field == "merchant.name")
    }

    @Test(arguments: [
        ("account", 128, true), ("account", 129, false), ("mid", 128, true), ("mid", 129, false), ("name", 129, false),
    ])
    func boundsAreInScalars(field: String, scalars: Int, valid: Bool) {
        // "é" written as e + U+0301: two scalars per character.
        let text = String(repeating: "e\u{301}", count: scalars / 2) + (scalars % 2 == 1 ? "x" : "")
        #expect(text.unicodeScalars.count == scalars)
        let json =
            field == "account"
            ? HostileInputTests.payment(account: text) : HostileInputTests.payment(merchant: #"{"\#(field)":"\#(text)"}"#)
        switch HostileInputTests.parse(json) {
        case .success: #expect(valid)
        case .failure(let error): #expect(!valid, "\(error)")
        }
    }

    @Test func anEventIsAtMost64KiBOfJSON() {
        let fits = HostileInputTests.payment(extra: #","note":"\#(String(repeating: "x", count: 60_000))""#)
        #expect((try? HostileInputTests.parse(fits).get()) != nil)
        let huge = HostileInputTests.payment(extra: #","note":"\#(String(repeating: "x", count: 70_000))""#)
        let error = HostileInputTests.error(huge)
        #expect(error?.field == "(event)")
        #expect(error?.eventID == "p1")
        #expect((error?.description.count ?? .max) < 100)
    }

    @Test func amountAndTimestampTextsAreBounded() {
        let zeros = #""\#(String(repeating: "0", count: 40))1.00""#
        let long = HostileInputTests.error(HostileInputTests.payment(amount: zeros))
        #expect(long?.field == "amount")
        #expect(long?.message.contains("longer than 32 characters") == true)
        #expect(
            (try? HostileInputTests.parse(HostileInputTests.payment(amount: #""0000000012.00""#)).get()) != nil,
            "leading zeros still fit")
        let stamp = "2026-11-02T10:00:00." + String(repeating: "0", count: 60) + "Z"
        let event =
            #"{"id":"p1","account":"a","occurred_at":"\#(stamp)","amount":"1.00","currency":"EUR","merchant":{"mid":"M"}}"#
        #expect(HostileInputTests.error(event)?.field == "occurred_at")
    }

    // MARK: messages quote at most 40 scalars, escaped

    @Test(arguments: ["amount", "type", "currency", "occurred_at", "original_currency"])
    func messagesQuoteAClippedEscapedValue(field: String) throws {
        let hostile = "\u{1B}[2J" + String(repeating: "9", count: 5_000)
        var object: [(String, String)] = [
            ("id", #""p1""#), ("account", #""a""#), ("occurred_at", #""2026-11-02T10:00:00Z""#), ("amount", #""1.00""#),
            ("currency", #""EUR""#), ("merchant", #"{"mid":"M"}"#),
        ]
        let value = #""\u001b[2J\#(String(repeating: "9", count: 5_000))""#
        if let index = object.firstIndex(where: { $0.0 == field }) {
            object[index].1 = value
        } else {
            object.append((field, value))
            if field == "original_currency" { object.append(("original_amount", #""1.00""#)) }
        }
        let json = "{" + object.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
        let error = try #require(HostileInputTests.error(json))
        #expect(error.field == field)
        #expect(!error.message.contains("\u{1B}"), "\(error.message)")
        #expect(error.message.contains("U+001B[2J999"), "\(error.message)")
        #expect(error.message.contains("…"))
        #expect(error.message.unicodeScalars.count < 140, "\(error.message)")
        #expect(!error.message.contains(String(hostile.dropFirst().prefix(100))))
    }

    @Test func echoClipsAndEscapes() {
        #expect(Echo.clipped("short") == "short")
        #expect(Echo.clipped(String(repeating: "x", count: 41)) == String(repeating: "x", count: 40) + "…")
        #expect(Echo.clipped(String(repeating: "x", count: 40)) == String(repeating: "x", count: 40))
        #expect(Echo.clipped("a\u{1F}b\tc\nd\u{7F}") == "aU+001FbU+0009cU+000AdU+007F")
        #expect(Echo.clipped("bidi \u{202E}evil\u{200B}") == "bidi U+202EevilU+200B")
        #expect(Echo.clipped("caf\u{E9} 🎉 \u{10FFFD}") == "caf\u{E9} 🎉 U+10FFFD")
        let combining = "a" + String(repeating: "\u{301}", count: 1_000)
        #expect(Echo.clipped(combining).unicodeScalars.count == 41)
    }

    // MARK: duplicate keys

    @Test(arguments: [
        (#","amount":"13.00""#, "amount"), (#","merchant":{"mid":"M2"}"#, "merchant"), (#","note":1,"note":2"#, "note"),
        (#","x":{"y":{"z":1,"z":1}}"#, "x.y.z"), (#","list":[{"k":1},{"k":1,"k":2}]"#, "list[1].k"),
    ])
    func aRepeatedKeyAnywhereIsAnErrorNamingIt(extra: String, field: String) throws {
        let error = try #require(HostileInputTests.error(HostileInputTests.payment(extra: extra)))
        #expect(error.field == field)
        #expect(error.message == "duplicate key")
        #expect(error.eventID == "p1")
        #expect(error.description == "\(field): duplicate key")
    }

    @Test func aRepeatedKeyInTheMerchantNamesTheMerchantField() throws {
        let error = try #require(
            HostileInputTests.error(HostileInputTests.payment(merchant: #"{"mid":"M1","name":"A","name":"B"}"#)))
        #expect(error.description == "merchant.name: duplicate key")
    }

    @Test func aRepeatedIdGivesNoEventID() throws {
        let error = try #require(
            HostileInputTests.error(#"{"id":"p1","id":"p2","account":"a","occurred_at":"2026-11-02T10:00:00Z"}"#))
        #expect(error.description == "id: duplicate key")
        #expect(error.eventID == nil)
    }

    @Test func aRepeatedHugeKeyIsClippedInTheFieldName() throws {
        let key = String(repeating: "k", count: 10_000)
        let error = try #require(HostileInputTests.error(HostileInputTests.payment(extra: #","\#(key)":1,"\#(key)":2"#)))
        #expect(error.field == String(repeating: "k", count: 40) + "…")
    }

    @Test func largeObjectsFindTheirRepeatedKeyToo() throws {
        let members = (0..<100).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let error = try #require(HostileInputTests.error(HostileInputTests.payment(extra: #","big":{\#(members),"k57":0}"#)))
        #expect(error.field == "big.k57")
        #expect((try? HostileInputTests.parse(HostileInputTests.payment(extra: #","big":{\#(members)}"#)).get()) != nil)
    }

    // MARK: rule files

    static func diagnostics(_ text: String) -> [String] {
        RuleLoader(registry: .builtin).load(sources: [
            RuleSource(relativePath: "partners/x.yaml", displayPath: "rules/partners/x.yaml", text: text)
        ])
        .diagnostics.map(\.description)
    }

    @Test func ruleDiagnosticsQuoteAClippedEscapedValue() throws {
        let secret = String(repeating: "root:x:0:0:root:/root:/bin/bash ", count: 200)
        for message in HostileInputTests.diagnostics(secret) + HostileInputTests.diagnostics("\"\\e[2J" + secret + "\"\n") {
            #expect(message.unicodeScalars.count < 240, "\(message)")
            #expect(!message.contains("\u{1B}"))
            #expect(message.contains("…"))
        }
        // YAML keys are at most 1024 characters; values are not.
        let longKey = String(repeating: "q", count: 1_000)
        let longRate = String(repeating: "7", count: 5_000)
        let partner =
            "partner: x\nmatch: { mid: [M1] }\n\(longKey): 1\nrules:\n  - id: r\n    reward: { percentage: \"\(longRate)%\" }\n"
        let messages = HostileInputTests.diagnostics(partner)
        #expect(messages.count == 2, "\(messages.map { $0.prefix(300) })")
        for message in messages { #expect(message.unicodeScalars.count < 300, "\(message)") }
        let duplicate = HostileInputTests.diagnostics("partner: x\n\(longKey): 1\n\(longKey): 2\n")
        #expect(duplicate.count == 1 && duplicate[0].unicodeScalars.count < 200, "\(duplicate)")
    }

    @Test func ruleFileLengthsCountScalarsLikeEvents() {
        let combining = "a" + String(repeating: "\u{301}", count: 200)
        let messages = HostileInputTests.diagnostics("partner: x\nmatch: { mid: [\"\(combining)\"] }\nrules: []\n")
        #expect(messages.contains { $0.contains("a mid has 1-128 characters") }, "\(messages)")
    }
}
