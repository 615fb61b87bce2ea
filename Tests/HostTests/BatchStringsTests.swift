import GRDB
import Testing

@testable import Store

/// A batch interns without writing: new strings get the ids after the table's and after those of
/// the batch still being written, each text keeps one id, and only committed ids are cached.
@Suite struct BatchStringsTests {
    /// A database with the `strings` table holding `texts` (ids 1, 2, …).
    static func database(_ texts: [String]) throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try db.write { db throws in
            try db.execute(sql: "CREATE TABLE strings (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")
            for text in texts { try db.execute(sql: "INSERT INTO strings (text) VALUES (?)", arguments: [text]) }
        }
        return db
    }

    @Test func newStringsFollowTheTableAndThePendingBatch() throws {
        let db = try BatchStringsTests.database(["a", "b"])
        let table = StringTable(capacity: 100)
        let (first, second) = try db.read { db throws in
            let first = BatchStrings(table: table, pending: NewStrings(), db: db)
            #expect(try first.intern("b") == 2, "a stored text keeps its id")
            #expect(try first.intern("c") == 3)
            #expect(try first.intern("c") == 3, "one id per text")
            // The next batch is evaluated while the first is still being written.
            let second = BatchStrings(table: table, pending: first.added, db: db)
            #expect(try second.intern("c") == 3, "the pending batch's id")
            #expect(try second.intern("d") == 4, "after the pending batch's ids")
            return (first.added, second.added)
        }
        #expect(first.rows.map(\.text) == ["c"] && second.rows.map(\.text) == ["d"], "each batch inserts only its own")
        try db.write { db throws in
            try first.write(to: db)
            try second.write(to: db)
        }
        table.merge(first)
        table.merge(second)
        let stored = try db.read { db throws in try Row.fetchAll(db, sql: "SELECT id, text FROM strings ORDER BY id") }
        #expect(stored.map { $0["text"] as String } == ["a", "b", "c", "d"])
        try db.read { db throws in
            #expect(try BatchStrings(table: table, pending: NewStrings(), db: db).intern("e") == 5)
        }
    }

    @Test func aValueIsInternedTheSecondTimeItIsMet() throws {
        let db = try BatchStringsTests.database([])
        let table = StringTable(capacity: 100)
        try db.read { db throws in
            let strings = BatchStrings(table: table, pending: NewStrings(), db: db)
            #expect(try strings.reference("2.50") == nil, "met once: written inline")
            #expect(try strings.reference("2.50") == 1)
        }
    }

    @Test func aShapeIsInternedByItsBytesOnce() throws {
        let db = try BatchStringsTests.database(["4:rule6:amount"])
        let table = StringTable(capacity: 100)
        try db.read { db throws in
            let strings = BatchStrings(table: table, pending: NewStrings(), db: db)
            #expect(try strings.shape(Array("4:rule6:amount".utf8)) == 1, "a stored shape keeps its id")
            #expect(try strings.shape(Array("2:id".utf8)) == 2)
            #expect(try strings.shape(Array("2:id".utf8)) == 2, "one id per shape")
            #expect(try strings.intern("2:id") == 2, "the same string as the text")
            #expect(strings.added.rows.map(\.text) == ["2:id"])
        }
    }

    @Test func afterAFailedWriteIdsAreHandedOutFromTheDatabaseAgain() throws {
        let db = try BatchStringsTests.database(["a"])
        let table = StringTable(capacity: 100)
        let lost = try db.read { db throws in
            let strings = BatchStrings(table: table, pending: NewStrings(), db: db)
            #expect(try strings.intern("b") == 2)
            return strings.added
        }
        #expect(lost.rows.count == 1)
        table.removeAll()  // its transaction failed: "b" was never stored
        try db.read { db throws in
            let strings = BatchStrings(table: table, pending: NewStrings(), db: db)
            #expect(try strings.intern("z") == 2, "the id the failed batch used is free again")
            #expect(try strings.intern("a") == 1)
        }
    }

    @Test func anEvictedIdIsFoundInTheDatabase() throws {
        let db = try BatchStringsTests.database((0..<50).map { "s\($0)" })
        let table = StringTable(capacity: 2)
        for _ in 0..<2 {  // the second batch finds in the database what the small cache dropped
            try db.read { db throws in
                let strings = BatchStrings(table: table, pending: NewStrings(), db: db)
                for index in 0..<50 { #expect(try strings.intern("s\(index)") == Int64(index + 1)) }
                #expect(strings.added.rows.isEmpty, "nothing new: every text was stored")
            }
        }
    }
}
