extension PostgresSession {
    /// Inserts `rows` into `table` (`"name (column, …)"`); `suffix` follows each statement's
    /// rows (an `ON CONFLICT`). Each column goes as one array parameter, unnested by the server:
    /// a short statement to parse whatever the number of rows, where `VALUES` lists would take
    /// a parameter a value.
    func insert(into table: String, rows: [[BoundValue]], suffix: String = "") throws {
        guard let width = rows.first?.count, width > 0 else { return }
        for start in stride(from: 0, to: rows.count, by: PostgresSession.rowsPerInsert) {
            let chunk = rows[start..<min(start + PostgresSession.rowsPerInsert, rows.count)]
            let columns = try (0..<width).map { column in try PostgresColumnArray(chunk.map { $0[column] }) }
            // A column of nulls only is selected as a bare NULL, which takes its column's type.
            let selected = columns.indices.map { columns[$0].kind == nil ? "NULL" : "c\($0)" }
            let unnested = columns.indices.map { "$\($0 + 1)::\(columns[$0].sqlType)" }
            let sql = """
                INSERT INTO \(table) SELECT \(selected.joined(separator: ", "))
                FROM unnest(\(unnested.joined(separator: ", "))) AS batch(\(columns.indices.map { "c\($0)" }.joined(separator: ", ")))
                """
            try execute(sql + (suffix.isEmpty ? "" : " " + suffix), columns: columns)
        }
    }

    /// Rows a statement of `insert` carries at most.
    static let rowsPerInsert = 10_000
}
