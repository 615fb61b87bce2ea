import GRDB

/// The database's table of interned strings (keys, rule ids, amounts, messages) that packed
/// decisions refer to by id. Interning happens inside the writer's transaction; the ids it
/// handed out are cached across batches, and forgotten whenever a write failed (its new rows
/// were rolled back). Not thread-safe: `SQLiteStore` uses it only from the writer.
final class StringTable: @unchecked Sendable {
    private var ids: BoundedCache<String, Int64>
    /// Values met once and not interned yet.
    private var metOnce: BoundedCache<String, Void>

    init(capacity: Int) {
        ids = BoundedCache(capacity: capacity)
        metOnce = BoundedCache(capacity: capacity)
    }

    /// The id of a value worth interning: one met before (a value unique to one event, such as
    /// "clawback of p123", is never added to the table); `nil` the first time.
    func reference(_ text: String, in db: Database) throws -> Int64? {
        if let id = ids[text] { return id }
        guard metOnce[text] != nil else {
            metOnce.insert(text, ())
            return nil
        }
        return try intern(text, in: db)
    }

    /// The id of `text`, added to the table when new.
    func intern(_ text: String, in db: Database) throws -> Int64 {
        if let id = ids[text] { return id }
        let id: Int64
        if let known = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM strings WHERE text = ?"), arguments: [text]) {
            id = known
        } else {
            try db.cachedStatement(sql: "INSERT INTO strings (text) VALUES (?)").execute(arguments: [text])
            id = db.lastInsertedRowID
        }
        ids.insert(text, id)
        return id
    }

    /// Forgets every id (after a failed write).
    func removeAll() {
        ids.removeAll()
        metOnce.removeAll()
    }
}

/// Reads interned strings by id, each once.
struct StringLookup {
    private let db: Database
    private var texts: [Int64: String] = [:]

    init(db: Database) { self.db = db }

    /// Reads the whole table at once (for reading many decisions).
    mutating func loadAll() throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT id, text FROM strings")
        while let row = try rows.next() {
            texts[try row.decode(forColumn: "id")] = try row.decode(forColumn: "text")
        }
    }

    mutating func text(_ id: Int64) throws -> String? {
        if let text = texts[id] { return text }
        let text = try String.fetchOne(db.cachedStatement(sql: "SELECT text FROM strings WHERE id = ?"), arguments: [id])
        texts[id] = text
        return text
    }
}
