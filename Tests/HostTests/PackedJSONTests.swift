import Engine
import Testing

@testable import Store

/// Packed JSON gives back exactly the value it was given, whatever it holds, and interns only
/// what the interning allows.
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
            PackedJSON.Interning(key: { self.id($0) }, value: { self.internValues ? self.id($0) : nil })
        }
    }

    static let values: [JSONValue] = [
        .null, .bool(true), .bool(false), .number("0"), .number("-1"), .number("10.50"), .number("-0"), .number("007"),
        .number(String(Int.max)), .number(String(Int.min)), .number("1e3"), .string(""), .string("café \u{1F600}"),
        .string("quote \" backslash \\ tab \t nul \u{0}"), .string(String(repeating: "long ", count: 40)),
        .array([]), .object([]),
        .object([
            ("event", .string("p1")),
            ("lines", .array([.object([("rule", .string("shop/base")), ("amount", .string("2.50"))])])),
            ("trace", .object([("kept", .bool(true)), ("steps", .array([.number("3"), .null]))])),
            ("event", .string("twice")),
        ]),
        .object([("1:a", .number("1")), ("", .null), ("ü:9", .string("x")), ("12", .array([]))]),
    ]

    @Test(arguments: [false, true])
    func everyValueUnpacksToItselfAndItsText(internValues: Bool) throws {
        let table = Table(internValues: internValues)
        var bytes: [UInt8] = []
        for value in PackedJSONTests.values { try PackedJSON.pack(value, into: &bytes, interning: table.interning) }
        var offset = 0
        for value in PackedJSONTests.values {
            let unpacked = PackedJSON.unpack(bytes, at: &offset) {
                table.texts.indices.contains(Int($0)) ? table.texts[Int($0)] : nil
            }
            #expect(unpacked == value)
            #expect(unpacked?.jsonText == value.jsonText)
        }
        #expect(offset == bytes.count)
        #expect(table.texts.contains("p1") == false, "an event's id is never interned")
        #expect(table.texts.contains("shop/base") == internValues)
    }

    @Test func objectsWithTheSameKeysShareOneShape() throws {
        let table = Table(internValues: false)
        let line: (String) -> JSONValue = { .object([("rule", .string($0)), ("amount", .string("1.00"))]) }
        var bytes: [UInt8] = []
        try PackedJSON.pack(.array([line("a/x"), line("b/y"), line("c/z")]), into: &bytes, interning: table.interning)
        #expect(table.texts == [PackedJSON.shape(of: ["rule", "amount"])])
        #expect(PackedJSON.keys(ofShape: table.texts[0]) == ["rule", "amount"])
        #expect(PackedJSON.keys(ofShape: "4:rul") == nil)
        #expect(PackedJSON.keys(ofShape: "x:rule") == nil)
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
        var bytes: [UInt8] = []
        try? PackedJSON.pack(PackedJSONTests.values.last!, into: &bytes, interning: table.interning)
        for length in 0..<bytes.count {
            var offset = 0
            #expect(PackedJSON.unpack(Array(bytes[..<length]), at: &offset) { table.texts[Int($0)] } == nil, "\(length)")
        }
        var offset = 0
        #expect(PackedJSON.unpack([0xFF, 1, 2], at: &offset) { _ in "" } == nil)
    }
}
