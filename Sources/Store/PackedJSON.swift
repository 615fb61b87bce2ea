import Engine

/// A compact binary form of JSON values for stored decisions and traces: keys and short strings
/// that recur become references into the database's `strings` table, everything else is
/// written inline with varint lengths. `PackedJSONWriter` writes it; unpacking gives back a
/// `JSONValue` whose text is, byte for byte, what `JSONWriter` writes for the same calls.
enum PackedJSON {
    enum Tag: UInt8 {
        case null, `false`, `true`, object, array, stringReference, inlineString, number
        /// A number written as `String(Int)` writes it, as a zigzag varint.
        case integer
        /// An object whose keys, in order, are one interned string (its shape, see `shape(of:)`),
        /// followed by its values: objects of one kind share their shape.
        case shapedObject
    }

    /// Strings longer than this are written inline: long texts rarely repeat.
    static let longestInterned = 64

    /// How `PackedJSONWriter` turns strings into ids of the `strings` table.
    struct Interning {
        /// The id of an object's shape (see `appendToShape`), given as its UTF-8 bytes, always.
        let shape: ([UInt8]) throws -> Int64
        /// The id of a value, or `nil` to write it inline.
        let value: (String) throws -> Int64?
    }

    /// Whether values of `key` are unique to an event (`event`, `account`, `id`, `original_id`):
    /// interning them would only grow the table.
    static func isUnique(key: String?) -> Bool {
        switch key {
        case "event", "account", "id", "original_id": true
        default: false
        }
    }

    /// Appends one key to an object's shape, the text naming its keys in order: each key's
    /// UTF-8 length in decimal, a colon and the key, so that any keys give back the same list.
    static func appendToShape(_ key: String, _ shape: inout [UInt8]) {
        let length = key.utf8.count
        var divisor = 1
        while divisor <= length / 10 { divisor *= 10 }
        while divisor > 0 {
            shape.append(UInt8(ascii: "0") + UInt8(length / divisor % 10))
            divisor /= 10
        }
        shape.append(UInt8(ascii: ":"))
        shape.append(contentsOf: key.utf8)
    }

    /// The keys a shape names; `nil` when the text is not a shape.
    static func keys(ofShape shape: String) -> [String]? {
        var keys: [String] = []
        var rest = Substring(shape).utf8[...]
        while !rest.isEmpty {
            guard let colon = rest.firstIndex(of: UInt8(ascii: ":")),
                let length = Int(Substring(rest[rest.startIndex..<colon])), length >= 0
            else { return nil }
            let start = rest.index(after: colon)
            guard let end = rest.index(start, offsetBy: length, limitedBy: rest.endIndex) else { return nil }
            keys.append(String(Substring(rest[start..<end])))
            rest = rest[end...]
        }
        return keys
    }

    /// Reads the value at `offset` and moves past it; `nil` when the bytes are not packed JSON.
    /// `lookup` gives the text of a string id.
    static func unpack(_ bytes: [UInt8], at offset: inout Int, lookup: (Int64) throws -> String?) rethrows -> JSONValue? {
        guard offset < bytes.count, let tag = Tag(rawValue: bytes[offset]) else { return nil }
        offset += 1
        switch tag {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .number: return readInline(bytes, at: &offset).map(JSONValue.number)
        case .integer:
            guard let zigzag = readVarint(bytes, at: &offset) else { return nil }
            let integer = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            return .number(String(integer))
        case .inlineString: return readInline(bytes, at: &offset).map(JSONValue.string)
        case .stringReference:
            guard let id = readVarint(bytes, at: &offset), let text = try lookup(Int64(id)) else { return nil }
            return .string(text)
        case .array:
            guard let count = readVarint(bytes, at: &offset), count <= UInt64(bytes.count) else { return nil }
            var items: [JSONValue] = []
            for _ in 0..<count {
                guard let item = try unpack(bytes, at: &offset, lookup: lookup) else { return nil }
                items.append(item)
            }
            return .array(items)
        case .object:
            guard let count = readVarint(bytes, at: &offset), count <= UInt64(bytes.count) else { return nil }
            var members: [(key: String, value: JSONValue)] = []
            for _ in 0..<count {
                guard let id = readVarint(bytes, at: &offset), let key = try lookup(Int64(id)),
                    let value = try unpack(bytes, at: &offset, lookup: lookup)
                else { return nil }
                members.append((key, value))
            }
            return .object(members)
        case .shapedObject:
            guard let id = readVarint(bytes, at: &offset), let shape = try lookup(Int64(id)),
                let keys = keys(ofShape: shape)
            else { return nil }
            var members: [(key: String, value: JSONValue)] = []
            members.reserveCapacity(keys.count)
            for key in keys {
                guard let value = try unpack(bytes, at: &offset, lookup: lookup) else { return nil }
                members.append((key, value))
            }
            return .object(members)
        }
    }

    static func appendInteger(_ integer: Int, to bytes: inout [UInt8]) {
        bytes.append(Tag.integer.rawValue)
        appendVarint(UInt64(bitPattern: Int64((integer << 1) ^ (integer >> (Int.bitWidth - 1)))), to: &bytes)
    }

    static func appendInline(_ text: String, tag: Tag, to bytes: inout [UInt8]) {
        bytes.append(tag.rawValue)
        appendVarint(UInt64(text.utf8.count), to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }

    private static func readInline(_ bytes: [UInt8], at offset: inout Int) -> String? {
        guard let length = readVarint(bytes, at: &offset), length <= UInt64(bytes.count - offset) else { return nil }
        defer { offset += Int(length) }
        return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// How many bytes `appendVarint` writes for `value`.
    static func varintLength(_ value: UInt64) -> Int {
        var length = 1
        var rest = value
        while rest >= 0x80 {
            length += 1
            rest >>= 7
        }
        return length
    }

    /// Overwrites the `varintLength(value)` bytes at `offset` with `value`, moving past them.
    static func writeVarint(_ value: UInt64, into bytes: inout [UInt8], at offset: inout Int) {
        var rest = value
        while rest >= 0x80 {
            bytes[offset] = UInt8(rest & 0x7F) | 0x80
            offset += 1
            rest >>= 7
        }
        bytes[offset] = UInt8(rest)
        offset += 1
    }

    private static func readVarint(_ bytes: [UInt8], at offset: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
