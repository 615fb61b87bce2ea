import Crypto

/// An event's content for duplicate detection (`Event.fingerprint`): the SHA-256 digest of its
/// canonical text, 32 bytes, so that it is compared and stored at a fixed small size.
public struct Fingerprint: Sendable, Hashable {
    /// The digest's 32 bytes.
    public let bytes: [UInt8]

    /// A stored fingerprint; `nil` unless `bytes` holds exactly 32 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == SHA256.byteCount else { return nil }
        self.bytes = bytes
    }

    /// The fingerprint of a canonical text (the fields each written with its length).
    public init(canonicalText text: String) {
        bytes = Array(SHA256.hash(data: Array(text.utf8)))
    }
}
