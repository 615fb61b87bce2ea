import Engine
import Foundation
import GRDB

extension AccountHistory {
    /// Packs the rows of the `purchases`, `spend` and `usage` tables of a database written
    /// before `2026-12-06 account histories` into one `histories` row per account, an account at
    /// a time (the three tables are keyed by account first).
    static func migrateRows(in db: Database) throws {
        let accounts = try String.fetchCursor(
            db,
            sql: """
                SELECT account FROM purchases UNION SELECT account FROM spend
                UNION SELECT account FROM usage WHERE account <> '' ORDER BY account
                """)
        let purchases = try db.makeStatement(sql: "SELECT partner, count FROM purchases WHERE account = ?")
        let spend = try db.makeStatement(sql: "SELECT partner, currency, day, amount FROM spend WHERE account = ?")
        let usage = try db.makeStatement(
            sql: "SELECT limit_id, period, period_index, amount, count FROM usage WHERE account = ?")
        let insert = try db.makeStatement(sql: "INSERT INTO histories (account, history) VALUES (?, ?)")
        while let account = try accounts.next() {
            var history = AccountHistory()
            for row in try Row.fetchAll(purchases, arguments: [account]) {
                let partner: String = row[0]
                history.purchases[partner.isEmpty ? nil : partner] = row[1]
            }
            for row in try Row.fetchAll(spend, arguments: [account]) {
                let partner: String = row[0]
                let scope = SpendScope(account: account, partner: partner.isEmpty ? nil : partner, currency: row[1])
                history.spends[scope, default: [:]][row[2]] = row[3]
            }
            for row in try Row.fetchAll(usage, arguments: [account]) {
                guard let period = Period(rawValue: row[1]) else {
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a usage row has an unknown period")
                }
                let key = UsageKey(limit: row[0], account: account, period: PeriodKey(period: period, index: row[2]))
                history.usage[key] = Usage(amount: row[3], count: row[4])
            }
            try insert.execute(arguments: [account, Data(history.packed())])
        }
    }
}
