import Engine
import Testing

/// Fingerprints are stored (`accepted.fingerprint`): an event sent again after an upgrade must
/// get the fingerprint the earlier release stored, or it would be taken for a conflict. These
/// digests were written by release `d6dfe86` (`cashback enqueue`, then the `accepted` table).
@Suite struct FingerprintStabilityTests {
    static let pinned: [(line: String, digest: String)] = [
        (
            #"{"id":"f1","account":"a1","occurred_at":"1969-12-31T23:59:59.5Z","amount":"12.30","currency":"EUR","merchant":{"mid":"M1","name":"Shop","mcc":"5411","country":"FR","channel":"online"},"original_amount":"100","original_currency":"JPY"}"#,
            "6017f2c4ab30426bd790c5c8a7cadc7471c2dd969e28e0b6ed308b3ef3edf7d9"
        ),
        (
            #"{"id":"f2","type":"refund","account":"a1","occurred_at":"2026-11-01T10:00:00.000000001+01:00","amount":"0.01","currency":"EUR","original_id":"f1"}"#,
            "b9736aa950f2083c6f3aeec481459747f75c797909e4d6c128b8b773aea344fa"
        ),
        (
            #"{"id":"f3","type":"reversal","occurred_at":"9999-12-31T23:59:59Z","original_id":"f1"}"#,
            "dff55d0c57da30b8fab8f74718805432e3d08c2cff9e1f11b95a1825212fabcb"
        ),
    ]

    @Test(arguments: pinned.indices)
    func aFingerprintIsTheOneEarlierReleasesStored(index: Int) throws {
        let (line, digest) = Self.pinned[index]
        let event = try EventParser.parse(line: Array(line.utf8)).get()
        let hex = event.fingerprint.bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        #expect(hex == digest)
    }
}
