import Foundation
import GRDB
import Testing

@testable import Store

/// `Statement.run` binds every kind of value as GRDB would, including the empty ones a null
/// pointer would turn into NULL, and fails with SQLite's error, leaving the statement reusable.
@Suite struct DirectStatementTests {
    static func database() throws -> DatabaseQueue {
        let db = try DatabaseQueue()
        try db.write { db throws in
            try db.execute(sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT, blob BLOB, number INTEGER)")
        }
        return db
    }

    @Test func everyValueIsStoredAsGRDBStoresIt() throws {
        let db = try DirectStatementTests.database()
        let texts = ["café \u{1F600}", "", "before \u{0} after"]
        let (direct, grdb, found) = try db.write { db throws in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (id, text, blob, number) VALUES (?, ?, ?, ?)")
            for (index, text) in texts.enumerated() {
                try insert.run(.integer(index), .text(text), .blob([0, 1, 255]), .integer(Int64.min))
                try db.execute(
                    sql: "INSERT INTO t (id, text, blob, number) VALUES (?, ?, ?, ?)",
                    arguments: [100 + index, text, Data([0, 1, 255]), Int64.min])
            }
            try insert.run(.integer(10), .text(nil as String?), .blob([]), .integer(nil as Int64?))
            try db.execute(sql: "INSERT INTO t (id, text, blob, number) VALUES (110, NULL, ?, NULL)", arguments: [Data()])
            let columns = "SELECT quote(text), quote(blob), quote(number) FROM t"
            let found = try texts.map { text in
                try Int.fetchAll(db, sql: "SELECT id FROM t WHERE text = ? ORDER BY id", arguments: [text])
            }
            return (
                try Row.fetchAll(db, sql: "\(columns) WHERE id < 100 ORDER BY id"),
                try Row.fetchAll(db, sql: "\(columns) WHERE id >= 100 ORDER BY id"), found
            )
        }
        #expect(direct == grdb)
        #expect(found == [[0, 100], [1, 101], [2, 102]], "GRDB's lookups find the rows written directly")
        #expect(direct[1][0] == "''", "an empty text is not NULL")
        #expect(direct[3][1] == "X''", "an empty blob is not NULL")
        #expect(direct[3][0] == "NULL")
    }

    @Test func aFailureThrowsSQLitesErrorAndTheStatementRunsAgain() throws {
        let db = try DirectStatementTests.database()
        let count = try db.write { db throws in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (id) VALUES (?)")
            try insert.run(.integer(1))
            let error = #expect(throws: DatabaseError.self) { try insert.run(.integer(1)) }
            #expect(error?.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY)
            try insert.run(.integer(2))
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM t")
        }
        #expect(count == 2)
    }
}
