import Engine
import Foundation
import GRDB

extension Fingerprint {
    /// The fingerprint as `accepted` stores it: a 32-byte BLOB.
    var stored: Data { Data(bytes) }

    /// A fingerprint read from `accepted`.
    init(stored: Data) throws { try self.init(stored: [UInt8](stored)) }

    /// A fingerprint read from `accepted`, as bytes.
    init(stored: [UInt8]) throws {
        guard let fingerprint = Fingerprint(bytes: stored) else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a stored fingerprint is not 32 bytes")
        }
        self = fingerprint
    }
}
