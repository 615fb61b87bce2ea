/// Reads what `BinaryWriter` wrote, from a position in a byte array. Every read answers `nil`
/// when the bytes there are not such a value (they end too soon, or are out of range).
package struct BinaryReader {
    package let bytes: [UInt8]
    /// Where the next read starts.
    package private(set) var offset: Int

    package init(bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    package var isAtEnd: Bool { offset == bytes.count }

    package mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// The next `count` bytes.
    package mutating func bytes(count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    package mutating func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = byte(), shift < 64 {
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        return nil
    }

    package mutating func integer() -> Int? {
        guard let zigzag = varint() else { return nil }
        return Int(Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1))
    }

    /// A count of things that follow, each at least a byte: never more than the bytes left.
    package mutating func count() -> Int? {
        guard let count = varint(), count <= UInt64(bytes.count - offset) else { return nil }
        return Int(count)
    }

    package mutating func bool() -> Bool? {
        switch byte() {
        case 0: false
        case 1: true
        default: nil
        }
    }

    package mutating func text(length: UInt64) -> String? {
        guard length <= UInt64(bytes.count - offset) else { return nil }
        defer { offset += Int(length) }
        return String(decoding: bytes[offset..<offset + Int(length)], as: UTF8.self)
    }

    package mutating func string() -> String? { varint().flatMap { text(length: $0) } }

    /// `.some(nil)` for an absent string, `nil` for bytes that are not one.
    package mutating func optionalString() -> String?? {
        guard let marker = varint() else { return nil }
        guard marker > 0 else { return .some(nil) }
        return text(length: marker - 1).map { .some($0) }
    }

    package mutating func currency() -> Currency? { string().flatMap(Currency.init(code:)) }

    package mutating func timestamp() -> Timestamp? {
        guard let seconds = integer(), let nanoseconds = varint(), nanoseconds < 1_000_000_000 else { return nil }
        return Timestamp(epochSeconds: Int64(seconds), nanoseconds: Int32(nanoseconds))
    }
}
