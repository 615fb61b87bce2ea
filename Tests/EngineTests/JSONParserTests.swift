import Engine
import Testing

@Suite struct JSONParserTests {
    @Test func keepsNumbersAsWrittenAndMembersInOrder() throws {
        let value = try JSONParser.parse(#"{"b": 10.50, "a": [1, true, null, "x\u00e9\n"]}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a"])
        #expect(value["b"] == .number("10.50"))
        #expect(value["a"] == .array([.number("1"), .bool(true), .null, .string("xé\n")]))
    }

    @Test(arguments: [
        #"{"id":"v11","account":"a1","#, "[1,]", "{'a':1}", "01", "1.", "\"\u{1}\"", "{\"a\":1} x", #""\ud800""#, "",
    ])
    func rejectsInvalidJSONWithAPosition(text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func reportsTheColumnOfTheProblem() {
        do {
            _ = try JSONParser.parse(#"{"id":"v11","account":"a1","#)
            Issue.record("should fail")
        } catch {
            #expect(error.offset == 27, "the end of the 27-byte input")
        }
    }

    @Test func limitsNestingDepth() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test func writerEscapesStrings() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("q", "a\"b\\c\n\u{1}")
        writer.endObject()
        #expect(writer.text == #"{"q":"a\"b\\c\n\u0001"}"#)
        #expect((try? JSONParser.parse(writer.text))?["q"] == .string("a\"b\\c\n\u{1}"))
    }
}
