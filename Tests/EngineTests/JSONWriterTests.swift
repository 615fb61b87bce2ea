import Engine
import Testing

/// `JSONWriter` writes compact JSON that `JSONParser` reads back, escaping exactly what RFC 8259
/// requires, with commas only between members.
@Suite struct JSONWriterTests {
    @Test func everyStringReadsBackAsWrittenWithTheShortestEscapes() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        for text in ["", "plain", "quote \" and backslash \\", controls, "é, 💶 and \u{7F}", "a/b"] {
            var writer = JSONWriter()
            writer.string(nil, text)
            #expect(try JSONParser.parse(writer.text) == .string(text), "\(writer.text)")
        }
        var writer = JSONWriter()
        writer.string(nil, "\u{01}\u{1F}\n\r\t\u{08}\u{0C}\"\\")
        #expect(writer.text == #""\u0001\u001f\n\r\t\u0008\u000c\"\\""#)
    }

    @Test func membersAreSeparatedAtEveryDepthAndTheWriterCanBeReused() throws {
        var writer = JSONWriter()
        for _ in 0..<2 {
            writer.reset()
            writer.beginObject()
            writer.int("a", -12)
            writer.beginArray("b")
            writer.bool(nil, true)
            writer.beginObject()
            writer.endObject()
            writer.beginArray()
            writer.endArray()
            writer.null(nil)
            writer.endArray()
            writer.string("c", "x")
            writer.endObject()
            #expect(writer.text == #"{"a":-12,"b":[true,{},[],null],"c":"x"}"#)
        }
    }
}
