import GRDB
import GRDBSQLite

/// A value bound to a statement's parameter by `Statement.run`, as GRDB binds the same value.
enum BoundValue {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case null

    static func integer(_ value: Int) -> BoundValue { .integer(Int64(value)) }

    /// `text`, or `null` when there is none.
    static func text(_ value: String?) -> BoundValue { value.map(BoundValue.text) ?? .null }

    /// `integer`, or `null` when there is none.
    static func integer(_ value: Int64?) -> BoundValue { value.map(BoundValue.integer) ?? .null }
}

extension Statement {
    /// Runs a statement that returns no rows, with `values` bound to its parameters in order
    /// through SQLite's C API.
    ///
    /// For the rows a batch writes, inside the batch's transaction: GRDB's `StatementArguments`
    /// box and convert every value, which the write profile showed as a tenth of `process`.
    /// Errors are SQLite's, as `DatabaseError`s with the extended result code, like GRDB's.
    func run(_ values: BoundValue...) throws {
        let statement = sqliteStatement
        defer { sqlite3_reset(statement) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let integer): code = sqlite3_bind_int64(statement, index, integer)
            case .null: code = sqlite3_bind_null(statement, index)
            case .text(var text):
                code = text.withUTF8 { utf8 in
                    // A null pointer would bind NULL, not an empty text. Like GRDB, which binds a
                    // C string, the text ends at its first NUL.
                    let start = UnsafeRawPointer(utf8.baseAddress ?? Statement.empty.utf8Start)
                    return sqlite3_bind_text(
                        statement, index, start.assumingMemoryBound(to: CChar.self),
                        Int32(utf8.firstIndex(of: 0) ?? utf8.count), Statement.transient)
                }
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { raw in
                    sqlite3_bind_blob(
                        statement, index, raw.baseAddress ?? UnsafeRawPointer(Statement.empty.utf8Start), Int32(raw.count),
                        Statement.transient)
                }
            }
            guard code == SQLITE_OK else { throw failure() }
        }
        guard sqlite3_step(statement) == SQLITE_DONE else { throw failure() }
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
