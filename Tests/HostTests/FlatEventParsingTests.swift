import Engine
import Testing
import Workload

/// Lines of the usual shape are read straight from their bytes; the result (the event, or the
/// error with its field and message) must be exactly what parsing the line as a tree gives.
@Suite struct FlatEventParsingTests {
    /// Members that may appear in a generated line: valid, invalid, odd and unusual values.
    static let members: [String: [String]] = [
        "id": [#""e1""#, #""""#, #""bad id!""#, #""\#(String(repeating: "x", count: 130))""#, "7"],
        "type": [#""payment""#, #""refund""#, #""reversal""#, #""bogus""#, "null"],
        "account": [#""a1""#, #""""#, #""é""#, #""a\u0001""#, #""\#(String(repeating: "a", count: 129))""#],
        "occurred_at": [
            #""2026-11-02T10:00:00Z""#, #""2026-11-02T10:00:00.5+01:00""#, #""2026-02-30T10:00:00Z""#, #""yesterday""#,
        ],
        "amount": [#""12.30""#, #""0""#, #""-1""#, #""1.234""#, #""abc""#, "12.3", #""0012.30""#, #""10000000000.01""#],
        "currency": [#""EUR""#, #""JPY""#, #""XXX""#, #""eur""#],
        "merchant": [
            #"{"mid":"MID345","country":"FR"}"#, #"{"siret":"55555555500030","mcc":"5411"}"#, #"{"siret":"123"}"#,
            #"{"name":"DECATHLON LYON","channel":"online"}"#, #"{"name":"X","channel":"phone"}"#, #"{}"#,
            #"{"mid":"M","mid":"N"}"#, #"{"mid":"M","extra":{"deep":"x"}}"#, #"{"country":"fr","mid":"M"}"#, #""shop""#,
            #"{"mid":"","mcc":"54a1"}"#,
        ],
        "original_amount": [#""100""#, #""1.5""#],
        "original_currency": [#""JPY""#, #""USD""#],
        "original_id": [#""e0""#, #""bad id!""#],
        "note": [#""anything""#, "[1,2]", "true"],
    ]

    static func line(_ random: inout SplitMix) -> String {
        var parts: [String] = []
        for key in members.keys.sorted() where random.next(4) > 0 || key == "id" {
            let values = members[key]!
            parts.append(#""\#(key)":\#(values[random.next(values.count)])"#)
            if random.next(40) == 0 { parts.append(#""\#(key)":\#(values[random.next(values.count)])"#) }
        }
        for index in parts.indices.reversed() where random.next(2) == 0 {
            parts.swapAt(index, random.next(index + 1))
        }
        let separator = random.next(5) == 0 ? " , \n" : ","
        return (random.next(5) == 0 ? " { " : "{") + parts.joined(separator: separator) + "}"
    }

    @Test func theUsualShapeReadsExactlyAsTheTree() throws {
        var random = SplitMix(seed: 12)
        var flat = 0
        for _ in 0..<10_000 {
            let line = Self.line(&random)
            let bytes = Array(line.utf8)
            guard let direct = bytes.withUnsafeBufferPointer(EventParser.parseUsualShape) else { continue }
            flat += 1
            let tree = EventParser.parse(json: try JSONParser.parse(bytes))
            #expect(direct == tree, "\(line)")
        }
        #expect(flat > 1000, "most generated lines have the usual shape")
    }

    @Test func theSizeLimitFallsAtTheSameByte() throws {
        var outcomes: Set<String> = []
        for length in (EventParser.maximumEventBytes - 200)...(EventParser.maximumEventBytes - 100) {
            let line =
                #"{ "id" : "e1", "account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","#
                + #""merchant": { "mid" : "M" }, "note": "\#(String(repeating: "n", count: length))" }"#
            let bytes = Array(line.utf8)
            let direct = try #require(bytes.withUnsafeBufferPointer(EventParser.parseUsualShape))
            #expect(direct == EventParser.parse(json: try JSONParser.parse(bytes)))
            outcomes.insert((try? direct.get()) == nil ? "too large" : "valid")
        }
        #expect(outcomes == ["too large", "valid"], "the window holds the limit")
    }

    @Test func otherShapesAreLeftToTheTree() {
        for line in [
            #"{"id":"e1","amount":12.30}"#, #"{"id":"e\u0031"}"#, #"{"id":"é"}"#, #"{"id":"e1","id":"e2"}"#,
            #"{"id":"e1","merchant":{"a":{"b":"c"}}}"#, #"{"id":"e1"} x"#, #"["e1"]"#, #"{"id":"e1","#, #"{"id":null}"#,
        ] {
            #expect(Array(line.utf8).withUnsafeBufferPointer(EventParser.parseUsualShape) == nil, "\(line)")
        }
    }
}
