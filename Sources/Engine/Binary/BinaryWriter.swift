/// Writes values as compact bytes: unsigned integers as varints (7 bits a byte, low first),
/// signed ones zigzagged first, strings as their UTF-8 length then their bytes. `BinaryReader`
/// reads them back.
package struct BinaryWriter {
    /// What was written so far.
    package var bytes: [UInt8] = []

    package init(reservingCapacity capacity: Int = 96) { bytes.reserveCapacity(capacity) }

    package mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    package mutating func integer(_ value: Int) {
        varint(UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1)))))
    }

    package mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    package mutating func string(_ text: String) {
        varint(UInt64(text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }

    /// 0 for absent, else the length plus one and the text.
    package mutating func optionalString(_ text: String?) {
        guard let text else { return varint(0) }
        varint(UInt64(text.utf8.count) + 1)
        bytes.append(contentsOf: text.utf8)
    }

    package mutating func timestamp(_ time: Timestamp) {
        integer(Int(time.epochSeconds))
        varint(UInt64(UInt32(bitPattern: time.nanoseconds)))
    }
}
