import Engine
import Foundation
import GRDB

/// A stored decision as `decisions` prints it.
package struct StoredDecision: Sendable {
    /// The decision's JSON line, exactly as `dry-run --format json` prints it.
    package let json: String
    /// The trace object, when the decision has one.
    package let trace: String?
    package let paymentAmount: Int?

    /// The JSON line with its trace, as `dry-run --explain` prints it.
    package var jsonWithTrace: String {
        guard let trace else { return json }
        return String(json.dropLast()) + #","trace":"# + trace + "}"
    }
}

extension StoredDecision {
    /// A decision's JSON line and trace as texts (PostgreSQL stores them so).
    init(_ decision: Decision) {
        let json = decision.jsonLine(includeTrace: false)
        let withTrace = decision.jsonLine(includeTrace: true)
        let traceStart = json.utf8.count - 1 + #","trace":"#.utf8.count
        let trace =
            withTrace.utf8.count > json.utf8.count
            ? String(decoding: withTrace.utf8.dropFirst(traceStart).dropLast(), as: UTF8.self) : nil
        self.init(json: json, trace: trace, paymentAmount: decision.paymentAmount)
    }

    /// A decision's JSON line and trace packed (`PackedJSON`) by a batch's writer.
    static func pack(_ decision: Decision, with writer: inout PackedJSONWriter) throws -> [UInt8] {
        decision.writeForStorage(to: &writer)
        return try writer.take()
    }

    /// A decision row (`json`, `trace`, `packed`, `payment_amount`) as stored: packed since
    /// 2026-12-02, JSON text before.
    init(row: Row, strings: inout StringLookup) throws {
        let paymentAmount: Int? = try row.decode(forColumn: "payment_amount")
        let blob: Data? = try row.decode(forColumn: "packed")
        guard let packed = blob.map({ [UInt8]($0) }) else {
            self.init(
                json: try row.decode(forColumn: "json"), trace: try row.decode(forColumn: "trace"), paymentAmount: paymentAmount)
            return
        }
        var offset = 0
        guard let line = try PackedJSON.unpack(packed, at: &offset, lookup: { try strings.text($0) }),
            let trace = try PackedJSON.unpack(packed, at: &offset, lookup: { try strings.text($0) })
        else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a packed decision does not unpack")
        }
        self.init(json: line.jsonText, trace: trace == .null ? nil : trace.jsonText, paymentAmount: paymentAmount)
    }
}

extension SQLiteStore {
    /// Calls `body` with every stored decision in processing order.
    package func forEachDecision(_ body: (StoredDecision) throws -> Void) throws {
        try pool.read { db in
            var strings = StringLookup(db: db)
            try strings.loadAll()
            let rows = try Row.fetchCursor(db, sql: "SELECT json, trace, packed, payment_amount FROM decisions ORDER BY position")
            while let row = try rows.next() { try body(try StoredDecision(row: row, strings: &strings)) }
        }
    }
}
