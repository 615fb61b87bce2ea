import Engine
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

extension SQLiteStore {
    /// Calls `body` with every stored decision in processing order.
    package func forEachDecision(_ body: (StoredDecision) throws -> Void) throws {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT json, trace, payment_amount FROM decisions ORDER BY position")
            while let row = try rows.next() {
                try body(
                    StoredDecision(
                        json: try row.decode(forColumn: "json"), trace: try row.decode(forColumn: "trace"),
                        paymentAmount: try row.decode(forColumn: "payment_amount")))
            }
        }
    }
}
