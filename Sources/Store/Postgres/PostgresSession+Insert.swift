extension PostgresSession {
    /// Inserts `rows` into `table` (`"name (column, …)"`) in as few statements as PostgreSQL's
    /// limit on parameters allows; `suffix` follows each statement's `VALUES` (an `ON CONFLICT`).
    func insert(into table: String, rows: [[BoundValue]], suffix: String = "") throws {
        guard let width = rows.first?.count, width > 0 else { return }
        let rowsPerStatement = max(1, 30_000 / width)
        for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
            let chunk = rows[start..<min(start + rowsPerStatement, rows.count)]
            var sql = "INSERT INTO \(table) VALUES "
            var values: [BoundValue] = []
            values.reserveCapacity(chunk.count * width)
            for (offset, row) in chunk.enumerated() {
                if offset > 0 { sql += ", " }
                let first = offset * width + 1
                sql += "(" + (first..<first + width).map { "$\($0)" }.joined(separator: ", ") + ")"
                values += row
            }
            try execute(sql + (suffix.isEmpty ? "" : " " + suffix), values)
        }
    }
}
