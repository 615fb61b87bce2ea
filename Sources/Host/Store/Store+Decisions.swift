import Engine
import GRDB

/// A stored decision as `decisions` prints it.
struct StoredDecision: Sendable {
    /// The decision's JSON line, exactly as `dry-run --format json` prints it.
    let json: String
    /// The trace object, when the decision has one.
    let trace: String?
    let paymentAmount: Int?

    /// The JSON line with its trace, as `dry-run --explain` prints it.
    var jsonWithTrace: String {
        guard let trace else { return json }
        return String(json.dropLast()) + #","trace":"# + trace + "}"
    }
}

extension Store {
    /// Calls `body` with every stored decision in processing order.
    func forEachDecision(_ body: (StoredDecision) throws -> Void) throws {
        try pool.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT json, trace, payment_amount FROM decisions ORDER BY position")
            while let row = try rows.next() {
                try body(StoredDecision(json: row["json"], trace: row["trace"], paymentAmount: row["payment_amount"]))
            }
        }
    }
}
