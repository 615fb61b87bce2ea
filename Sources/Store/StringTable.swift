import GRDB

/// The database's table of interned strings (keys, shapes, rule ids, amounts, messages) that
/// packed rows refer to by id: the ids committed so far, cached across batches. Not
/// thread-safe: `SQLiteStore` uses it only under its state lock.
///
/// A batch interns through its own `BatchStrings`, which hands out new ids without writing;
/// the batch's transaction inserts them, and they join this table once it committed. A failed
/// commit forgets everything here (the ids it would have added may be handed out again).
final class StringTable: @unchecked Sendable {
    fileprivate var ids: BoundedCache<String, Int64>
    /// Values met once and not interned yet (a guide only: it never decides an id).
    fileprivate var metOnce: BoundedCache<String, Void>
    /// The largest id committed, once read.
    fileprivate var largestID: Int64?

    init(capacity: Int) {
        ids = BoundedCache(capacity: capacity)
        metOnce = BoundedCache(capacity: capacity)
    }

    /// Takes in the strings a committed batch added.
    func merge(_ added: NewStrings) {
        for (text, id) in added.ids { ids.insert(text, id) }
        if let largest = largestID, let last = added.rows.last?.id { largestID = max(largest, last) }
    }

    /// Forgets every id (after a failed write).
    func removeAll() {
        ids.removeAll()
        metOnce.removeAll()
        largestID = nil
    }
}

/// Strings a batch interned that the table did not hold, with the ids handed out for them.
struct NewStrings: Sendable {
    fileprivate(set) var rows: [(id: Int64, text: String)] = []
    fileprivate(set) var ids: [String: Int64] = [:]

    /// Inserts them, inside the batch's transaction.
    func write(to db: Database) throws {
        let insert = try db.cachedStatement(sql: "INSERT INTO strings (id, text) VALUES (?, ?)")
        for row in rows { try insert.run(.integer(row.id), .text(row.text)) }
    }
}

/// One batch's interning, over the table, the strings of the batch evaluated before it and not
/// yet committed (`pending`), and the database read through `db`.
final class BatchStrings {
    private let table: StringTable
    private let pending: NewStrings
    private let db: Database
    private(set) var added = NewStrings()
    /// Every id this batch used, by text: most texts recur within a batch.
    private var resolved: [String: Int64] = [:]
    /// The ids of the shapes this batch used, by their bytes: a shape is looked up for every
    /// object packed, and made into a `String` only the first time.
    private var shapes: [ShapeText: Int64] = [:]

    init(table: StringTable, pending: NewStrings, db: Database) {
        self.table = table
        self.pending = pending
        self.db = db
    }

    /// How packing interns: shapes always, values the second time they are met (a value unique
    /// to one event, such as "clawback of p123", never enters the table).
    func interning() -> PackedJSON.Interning {
        PackedJSON.Interning(shape: { try self.shape($0) }, value: { try self.reference($0) })
    }

    /// The id of a shape given as its UTF-8 bytes (`PackedJSON.appendToShape`).
    func shape(_ bytes: [UInt8]) throws -> Int64 {
        if let id = shapes[ShapeText(bytes: bytes)] { return id }
        let id = try intern(String(decoding: bytes, as: UTF8.self))
        shapes[ShapeText(bytes: bytes)] = id
        return id
    }

    /// The id of a value worth interning: one met before; `nil` the first time.
    func reference(_ text: String) throws -> Int64? {
        if let id = known(text) { return id }
        guard table.metOnce[text] != nil else {
            table.metOnce.insert(text, ())
            return nil
        }
        return try intern(text)
    }

    /// The id of `text`, handed out when new.
    func intern(_ text: String) throws -> Int64 {
        if let id = known(text) { return id }
        if let stored = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM strings WHERE text = ?"), arguments: [text])
        {
            table.ids.insert(text, stored)
            resolved[text] = stored
            return stored
        }
        let id = try (added.rows.last?.id ?? pending.rows.last?.id ?? largestCommittedID()) + 1
        added.rows.append((id, text))
        added.ids[text] = id
        resolved[text] = id
        return id
    }

    private func known(_ text: String) -> Int64? {
        if let id = resolved[text] { return id }
        guard let id = table.ids[text] ?? pending.ids[text] else { return nil }
        resolved[text] = id
        return id
    }

    private func largestCommittedID() throws -> Int64 {
        if let largest = table.largestID { return largest }
        let largest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM strings") ?? 0
        table.largestID = largest
        return largest
    }
}

/// A shape's bytes as a dictionary key, hashed as one block of bytes (an array of bytes hashes
/// them one by one).
private struct ShapeText: Hashable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
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
