import Engine

/// A payment record as a `payments` row holds it since `2026-12-06`: a marker byte, then the
/// record as `BinaryWriter.paymentRecord` writes it, with no reference to the `strings` table,
/// so that it is packed beside the write and read without a lookup. Rows written before hold
/// `PackedJSON` (whose first byte is a tag, never the marker) or JSON text; both still read.
enum StoredPaymentRecord {
    /// The first byte of a record in this form.
    static let marker: UInt8 = 0xB1

    static func encode(_ record: PaymentRecord) -> [UInt8] {
        var writer = BinaryWriter(reservingCapacity: 96)
        writer.bytes.append(marker)
        writer.paymentRecord(record)
        return writer.bytes
    }

    /// Whether `bytes` hold a record in this form (else they are `PackedJSON`).
    static func isEncoded(_ bytes: [UInt8]) -> Bool { bytes.first == marker }

    /// The record of payment `id` in `bytes` (which `isEncoded`); `nil` when they are not one.
    static func decode(_ bytes: [UInt8], id: String) -> PaymentRecord? {
        var reader = BinaryReader(bytes: bytes, offset: 1)
        guard isEncoded(bytes), let record = reader.paymentRecord(id: id), reader.isAtEnd else { return nil }
        return record
    }
}
