/// Writes compact JSON with members in the order they are added, the shape decisions are printed in.
///
/// It writes UTF-8 bytes: a printer reuses one writer (`reset()`) and copies `bytes` out, so a
/// line costs no allocation once the buffer has grown.
package struct JSONWriter: JSONOutput {
    /// What was written so far.
    package private(set) var bytes: [UInt8] = []
    /// Whether the open object or array at each depth already has a member, one bit per depth
    /// (bit 0: the top level). Decisions nest 4 deep; deeper than 63 is never written.
    private var hasMember: UInt64 = 0
    private var depth = 0

    package init() { bytes.reserveCapacity(256) }

    /// What was written, as text.
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Forgets what was written, keeping the buffer.
    package mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        hasMember = 0
        depth = 0
    }

    /// Starts an object member (or an array element when `key` is nil): a comma after the
    /// previous one, then the key.
    private mutating func separator(_ key: String?) {
        let bit: UInt64 = 1 << UInt64(depth)
        if hasMember & bit != 0 { bytes.append(UInt8(ascii: ",")) }
        hasMember |= bit
        if let key {
            JSONWriter.appendString(key, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
        }
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        depth += 1
        precondition(depth < 64, "JSON nested deeper than 63")
        hasMember &= ~(1 << UInt64(depth))
    }

    private mutating func close(_ bracket: UInt8) {
        depth -= 1
        bytes.append(bracket)
    }

    package mutating func beginObject(_ key: String? = nil) {
        if depth > 0 || key != nil { separator(key) }
        open(UInt8(ascii: "{"))
    }

    package mutating func endObject() { close(UInt8(ascii: "}")) }

    package mutating func beginArray(_ key: String? = nil) {
        separator(key)
        open(UInt8(ascii: "["))
    }

    package mutating func endArray() { close(UInt8(ascii: "]")) }

    package mutating func string(_ key: String?, _ value: String) {
        separator(key)
        JSONWriter.appendString(value, to: &bytes)
    }

    package mutating func int(_ key: String?, _ value: Int) {
        separator(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    package mutating func bool(_ key: String?, _ value: Bool) {
        separator(key)
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
    }

    package mutating func null(_ key: String?) {
        separator(key)
        bytes.append(contentsOf: "null".utf8)
    }

    /// Appends a JSON string literal, escaping what RFC 8259 requires.
    package static func appendString(_ value: String, to text: inout String) {
        var bytes: [UInt8] = []
        appendString(value, to: &bytes)
        text += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends a JSON string literal as UTF-8, escaping what RFC 8259 requires: `"` and `\`,
    /// and the control characters (`\n`, `\r`, `\t`, the others as `\u00xx`). Every byte of a
    /// multi-byte character is 0x80 or more, so escaping byte by byte escapes characters.
    package static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                bytes.append(contentsOf: utf8)
            } else {
                appendEscaped(utf8, to: &bytes)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 bytes, escaped for the inside of a JSON string literal.
    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x0A: bytes.append(contentsOf: "\\n".utf8)
            case 0x0D: bytes.append(contentsOf: "\\r".utf8)
            case 0x09: bytes.append(contentsOf: "\\t".utf8)
            case ..<0x20:
                bytes.append(contentsOf: "\\u00".utf8)
                bytes.append(hexDigit(byte >> 4))
                bytes.append(hexDigit(byte & 0x0F))
            default: bytes.append(byte)
            }
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
