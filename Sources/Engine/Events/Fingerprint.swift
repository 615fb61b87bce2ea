import Crypto

/// An event's content for duplicate detection (`Event.fingerprint`): the SHA-256 digest of its
/// canonical text, 32 bytes held inline, so that it is compared and stored at a fixed small size.
public struct Fingerprint: Sendable, Hashable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// A stored fingerprint; `nil` unless `bytes` holds exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == SHA256.byteCount else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyBytes(from: bytes) }
        self.words = words
    }

    /// The fingerprint of a canonical text (the fields each written with its length).
    public init(canonicalText text: String) { self.init(digesting: Array(text.utf8)) }

    init(digesting text: [UInt8]) { self.init(digest: SHA256.hash(data: text)) }

    init(digest: SHA256Digest) {
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { target in digest.withUnsafeBytes { target.copyMemory(from: $0) } }
        self.words = words
    }

    /// The digest's 32 bytes.
    public var bytes: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }

    public static func == (left: Fingerprint, right: Fingerprint) -> Bool { left.words == right.words }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: words) { hasher.combine(bytes: $0) }
    }
}

/// The canonical text of an event's fields, written into a buffer that its owner sizes (on the
/// stack: see `Event.fingerprint`): each field as its UTF-8 length, a colon and the field, an
/// absent one as `-`.
struct FingerprintText {
    /// Room for the text: at least `FingerprintText.room(for:)` of its fields.
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private var count = 0

    init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// The most a text field takes (its length's digits, the colon, its bytes; a dash when
    /// absent), and what an integer or an instant field takes at most.
    static func room(for text: String?) -> Int { (text?.utf8.count ?? 0) + 21 }
    static let roomForNumber = 42

    /// The SHA-256 fingerprint of the text written.
    func fingerprint() -> Fingerprint {
        var digest = SHA256()
        digest.update(bufferPointer: UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[..<count])))
        return Fingerprint(digest: digest.finalize())
    }

    mutating func field(_ text: String?) {
        guard var text else { return append(UInt8(ascii: "-")) }
        text.withUTF8 { utf8 in
            appendDecimal(utf8.count)
            append(UInt8(ascii: ":"))
            append(utf8)
        }
    }

    /// An integer field, written as `String(value)` writes it.
    mutating func field(_ value: Int?) {
        guard let value else { return append(UInt8(ascii: "-")) }
        appendDecimal(FingerprintText.decimalLength(value))
        append(UInt8(ascii: ":"))
        appendDecimal(value)
    }

    /// An instant's field: `seconds.nanoseconds`, both in decimal.
    mutating func field(_ instant: Timestamp) {
        let seconds = Int(instant.epochSeconds)
        let nanoseconds = Int(instant.nanoseconds)
        appendDecimal(FingerprintText.decimalLength(seconds) + 1 + FingerprintText.decimalLength(nanoseconds))
        append(UInt8(ascii: ":"))
        appendDecimal(seconds)
        append(UInt8(ascii: "."))
        appendDecimal(nanoseconds)
    }

    // The buffer's own subscripts are not checked in release builds: a room computed too small
    // (a field added to the text but not to the room) must stop here, not write past it.

    private mutating func append(_ byte: UInt8) {
        precondition(count < buffer.count, "the fingerprint text outgrew its room")
        buffer[count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(buffer.count - count >= bytes.count, "the fingerprint text outgrew its room")
        _ = UnsafeMutableBufferPointer(rebasing: buffer[count..<(count + bytes.count)]).initialize(fromContentsOf: bytes)
        count += bytes.count
    }

    /// How many characters `String(value)` has.
    static func decimalLength(_ value: Int) -> Int {
        var length = value < 0 ? 2 : 1
        var rest = value.magnitude
        while rest >= 10 {
            rest /= 10
            length += 1
        }
        return length
    }

    /// Appends `String(value)`'s UTF-8 without making the string.
    private mutating func appendDecimal(_ value: Int) {
        if value < 0 { append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 24 digits; an Int has at most 19
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            var rest = value.magnitude
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            append(UnsafeBufferPointer(rebasing: buffer.bindMemory(to: UInt8.self)[start...]))
        }
    }
}
