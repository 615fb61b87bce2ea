import Engine
import Testing

@testable import Store

/// Packed JSON gives back exactly what `JSONWriter` writes for the same calls, whatever they
/// hold, and interns only what the interning allows.
@Suite struct PackedJSONTests {
    /// An in-memory strings table: keys always, values only when `internValues`.
    final class Table {
        var texts: [String] = []
        let internValues: Bool

        init(internValues: Bool) { self.internValues = internValues }

        func id(_ text: String) -> Int64 {
            if let index = texts.firstIndex(of: text) { return Int64(index) }
            texts.append(text)
            return Int64(texts.count - 1)
        }

        var interning: PackedJSON.Interning {
            PackedJSON.Interning(
                shape: { self.id(String(decoding: $0, as: UTF8.self)) }, value: { self.internValues ? self.id($0) : nil })
        }
    }

    /// Top-level values, each written by a sequence of `JSONOutput` calls.
    static let values: [@Sendable (inout any JSONOutput) -> Void] = [
        { $0.null(nil) }, { $0.bool(nil, true) }, { $0.bool(nil, false) }, { $0.int(nil, 0) }, { $0.int(nil, -1) },
        { $0.int(nil, Int.max) }, { $0.int(nil, Int.min) }, { $0.string(nil, "") }, { $0.string(nil, "café \u{1F600}") },
        { $0.string(nil, "quote \" backslash \\ tab \t nul \u{0}") },
        { $0.string(nil, String(repeating: "long ", count: 40)) },
        {
            $0.beginArray()
            $0.endArray()
        },
        {
            $0.beginObject()
            $0.endObject()
        },
        { writer in
            writer.beginObject()
            writer.string("event", "p1")
            writer.beginArray("lines")
            for index in 0..<130 {
                writer.beginObject()
                writer.string("rule", "shop/base")
                writer.int("amount", index * 1_000)
                writer.endObject()
            }
            writer.endArray()
            writer.beginObject("trace")
            writer.bool("kept", true)
            writer.beginArray("steps")
            writer.int(nil, 3)
            writer.null(nil)
            writer.beginArray()
            writer.string(nil, "nested")
            writer.endArray()
            writer.endArray()
            writer.endObject()
            writer.string("event", "twice")
            writer.endObject()
        },
        { writer in
            writer.beginObject()
            writer.int("1:a", 1)
            writer.null("")
            writer.string("ü:9", "x")
            writer.beginArray("12")
            writer.endArray()
            writer.bool("partner_limits", false)
            writer.null(String(repeating: "k", count: 123))
            writer.endObject()
        },
    ]

    /// The text `JSONWriter` writes for a value's calls.
    static func text(_ write: (inout any JSONOutput) -> Void) -> String {
        var writer: any JSONOutput = JSONWriter()
        write(&writer)
        return (writer as! JSONWriter).text
    }

    /// The packed bytes of values, one after the other.
    static func packed(_ values: [@Sendable (inout any JSONOutput) -> Void], interning: PackedJSON.Interning) throws -> [UInt8] {
        var writer: any JSONOutput = PackedJSONWriter(interning: interning)
        for write in values { write(&writer) }
        var packed = writer as! PackedJSONWriter
        return try packed.take()
    }

    @Test(arguments: [false, true])
    func everyValueUnpacksToTheTextJSONWriterWrites(internValues: Bool) throws {
        let table = Table(internValues: internValues)
        let bytes = try PackedJSONTests.packed(PackedJSONTests.values, interning: table.interning)
        var offset = 0
        for write in PackedJSONTests.values {
            let unpacked = PackedJSON.unpack(bytes, at: &offset) {
                table.texts.indices.contains(Int($0)) ? table.texts[Int($0)] : nil
            }
            #expect(unpacked?.jsonText == PackedJSONTests.text(write))
        }
        #expect(offset == bytes.count)
        #expect(table.texts.contains("p1") == false, "an event's id is never interned")
        #expect(table.texts.contains("shop/base") == internValues)
    }

    @Test func objectsWithTheSameKeysShareOneShape() throws {
        let table = Table(internValues: false)
        let lines: @Sendable (inout any JSONOutput) -> Void = { writer in
            writer.beginArray()
            for rule in ["a/x", "b/y", "c/z"] {
                writer.beginObject()
                writer.string("rule", rule)
                writer.string("amount", "1.00")
                writer.endObject()
            }
            writer.endArray()
        }
        _ = try PackedJSONTests.packed([lines], interning: table.interning)
        #expect(table.texts == ["4:rule6:amount"])
        #expect(PackedJSON.keys(ofShape: table.texts[0]) == ["rule", "amount"])
        #expect(PackedJSON.keys(ofShape: "4:rul") == nil)
        #expect(PackedJSON.keys(ofShape: "x:rule") == nil)
    }

    @Test func oneWriterPacksValueAfterValueAndLeavesItsInlineValueInline() throws {
        let table = Table(internValues: true)
        var writer = PackedJSONWriter(interning: table.interning)
        writer.inline = "a1"
        var packed: [[UInt8]] = []
        for _ in 0..<2 {
            writer.beginObject()
            writer.string("owner", "a1")
            writer.string("rule", "shop/base")
            writer.endObject()
            packed.append(try writer.take())
        }
        #expect(!table.texts.contains("a1"), "written inline")
        #expect(table.texts.contains("shop/base"))
        for bytes in packed {
            var offset = 0
            let value = PackedJSON.unpack(bytes, at: &offset) { table.texts[Int($0)] }
            #expect(value?.jsonText == #"{"owner":"a1","rule":"shop/base"}"#)
            #expect(offset == bytes.count, "each value alone")
        }
    }

    @Test func aFailedInterningStopsTheWriting() {
        struct Unavailable: Error {}
        let interning = PackedJSON.Interning(shape: { _ in throw Unavailable() }, value: { _ in nil })
        #expect(throws: Unavailable.self) { try PackedJSONTests.packed(PackedJSONTests.values, interning: interning) }
    }

    @Test func objectsPackedWithTheirKeysBeforeShapesStillUnpack() {
        // Tag 3 (object), 2 members: key 0 = 7 (integer tag 8, zigzag 14), key 1 = null (tag 0).
        let bytes: [UInt8] = [3, 2, 0, 8, 14, 1, 0]
        var offset = 0
        let keys = ["seven", "none"]
        #expect(PackedJSON.unpack(bytes, at: &offset) { keys[Int($0)] } == .object([("seven", .number("7")), ("none", .null)]))
        #expect(offset == bytes.count)
    }

    @Test func truncatedOrForeignBytesUnpackToNothing() {
        let table = Table(internValues: true)
        let bytes = (try? PackedJSONTests.packed([PackedJSONTests.values.last!], interning: table.interning)) ?? []
        #expect(!bytes.isEmpty)
        for length in 0..<bytes.count {
            var offset = 0
            #expect(PackedJSON.unpack(Array(bytes[..<length]), at: &offset) { table.texts[Int($0)] } == nil, "\(length)")
        }
        var offset = 0
        #expect(PackedJSON.unpack([0xFF, 1, 2], at: &offset) { _ in "" } == nil)
    }
}
