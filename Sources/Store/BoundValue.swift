/// A value bound to a statement's parameter, by SQLite's `Statement.run` as GRDB binds the same
/// value, and by the PostgreSQL store's queries.
enum BoundValue {
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    case null
    /// An array of texts (PostgreSQL's `text[]`, for `= ANY($1)`); SQLite binds none.
    case texts([String])
    /// An array of integers (PostgreSQL's `bigint[]`); SQLite binds none.
    case integers([Int64])

    static func integer(_ value: Int) -> BoundValue { .integer(Int64(value)) }

    /// `text`, or `null` when there is none.
    static func text(_ value: String?) -> BoundValue { value.map(BoundValue.text) ?? .null }

    /// `integer`, or `null` when there is none.
    static func integer(_ value: Int64?) -> BoundValue { value.map(BoundValue.integer) ?? .null }
}
