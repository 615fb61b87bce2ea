import GRDB
import GRDBSQLite

/// One row of a statement stepped by `Statement.forEachRow`, its columns (counted from 0) read
/// through SQLite's C API as GRDB reads them.
struct DirectRow {
    fileprivate let statement: SQLiteStatement

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(statement, column)) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func isBlob(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_BLOB }

    /// The column's text (empty for NULL), up to its first NUL like GRDB's.
    func text(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(statement, column) else { return "" }
        return String(cString: text)
    }

    /// The column as GRDB reads it, whatever its type.
    func value(_ column: Int32) -> DatabaseValue { DatabaseValue(sqliteStatement: statement, index: column) }

    /// The column's bytes (empty for NULL).
    func bytes(_ column: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, column))
        guard let start = sqlite3_column_blob(statement, column), count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: start, count: count))
    }
}

extension Statement {
    /// Runs a statement that returns no rows, with `values` bound to its parameters in order
    /// through SQLite's C API.
    ///
    /// For the rows a batch writes, inside the batch's transaction: GRDB's `StatementArguments`
    /// box and convert every value, which the write profile showed as a tenth of `process`.
    /// Errors are SQLite's, as `DatabaseError`s with the extended result code, like GRDB's.
    /// GRDB does not see these executions: a transaction observer registered with it would not
    /// hear of them (the store registers none).
    func run(_ values: BoundValue...) throws {
        try forEachRow(binding: values) { _ in }
    }

    /// Runs a query with `values` bound to its parameters in order, calling `body` with each row,
    /// all through SQLite's C API (see `run`): for the state a batch reads.
    func forEachRow(binding values: [BoundValue], _ body: (DirectRow) throws -> Void) throws {
        let statement = sqliteStatement
        defer { sqlite3_reset(statement) }
        for (offset, value) in values.enumerated() {
            guard bind(value, at: Int32(offset + 1)) == SQLITE_OK else { throw failure() }
        }
        while true {
            switch sqlite3_step(statement) {
            case SQLITE_DONE: return
            case SQLITE_ROW: try body(DirectRow(statement: statement))
            default: throw failure()
            }
        }
    }

    private func bind(_ value: BoundValue, at index: Int32) -> Int32 {
        let statement = sqliteStatement
        switch value {
        case .integer(let integer): return sqlite3_bind_int64(statement, index, integer)
        case .null: return sqlite3_bind_null(statement, index)
        case .texts, .integers: return SQLITE_MISMATCH
        case .text(var text):
            return text.withUTF8 { utf8 in
                // A null pointer would bind NULL, not an empty text. Like GRDB, which binds a
                // C string, the text ends at its first NUL.
                let start = UnsafeRawPointer(utf8.baseAddress ?? Statement.empty.utf8Start)
                return sqlite3_bind_text(
                    statement, index, start.assumingMemoryBound(to: CChar.self),
                    Int32(utf8.firstIndex(of: 0) ?? utf8.count), Statement.transient)
            }
        case .blob(let bytes):
            return bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob(
                    statement, index, raw.baseAddress ?? UnsafeRawPointer(Statement.empty.utf8Start), Int32(raw.count),
                    Statement.transient)
            }
        }
    }

    private static let empty: StaticString = ""

    /// SQLite's `SQLITE_TRANSIENT`: it copies the value before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private func failure() -> DatabaseError {
        let connection = sqlite3_db_handle(sqliteStatement)
        return DatabaseError(
            resultCode: ResultCode(rawValue: sqlite3_extended_errcode(connection)),
            message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
}
