import Engine
import GRDB

/// The evaluation state's tables in a SQLite database, read through a read-only connection.
struct SQLiteStateReader: StateReader {
    let db: Database
    /// Where the texts of the `strings` table that older payment records refer to are kept.
    let cache: StateCache

    func seenEvents(_ ids: Set<String>) throws -> [String: SeenEvent] {
        var found: [String: SeenEvent] = [:]
        try forEachRow(
            "SELECT event_id, seen_kind, fingerprint FROM accepted WHERE seen_kind IS NOT NULL AND event_id IN", ids
        ) { row in
            found[row.text(0)] = try SeenEvent(storedKind: row.text(1), fingerprint: row.bytes(2))
        }
        return found
    }

    func paymentRecords(_ ids: Set<String>) throws -> [String: PaymentRecord] {
        var records: [String: PaymentRecord] = [:]
        try forEachRow("SELECT event_id, record FROM payments WHERE event_id IN", ids) { row in
            let id = row.text(0)
            records[id] = try paymentRecord(row.value(1), id: id)
        }
        return records
    }

    func histories(_ accounts: Set<String>) throws -> [String: AccountHistory] {
        var histories: [String: AccountHistory] = [:]
        try forEachRow("SELECT account, history FROM histories WHERE account IN", accounts) { row in
            let account = row.text(0)
            guard let history = AccountHistory(packed: row.bytes(1), account: account) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the history of an account does not decode")
            }
            histories[account] = history
        }
        return histories
    }

    func sharedUsage(_ key: UsageKey) throws -> Usage {
        var usage = Usage.zero
        try db.cachedStatement(
            sql: "SELECT amount, count FROM usage WHERE limit_id = ? AND account = ? AND period = ? AND period_index = ?"
        ).forEachRow(
            binding: [.text(key.limit), .text(key.account ?? ""), .text(key.period.period.rawValue), .integer(key.period.index)]
        ) { row in usage = Usage(amount: row.int(0), count: row.int(1)) }
        return usage
    }

    func awaitedPayments() throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT DISTINCT original_id FROM orphans"))
    }

    func storedOrphans(waitingFor paymentIDs: Set<String>) throws -> [String: [Orphan]] {
        var orphans: [String: [Orphan]] = [:]
        let select = try db.cachedStatement(
            sql: """
                SELECT q.seq, q.body, q.file, q.line FROM orphans o JOIN queue q ON q.seq = o.queue_seq
                WHERE o.original_id = ? ORDER BY o.id
                """)
        for paymentID in paymentIDs {
            let found = try Row.fetchAll(select, arguments: [paymentID]).compactMap { row -> Orphan? in
                guard case .success(let event) = try SQLiteStore.queuedBody(row["body"]), let clawback = Event.Clawback(event)
                else { return nil }
                return Orphan(
                    clawback,
                    origin: EventOrigin(
                        file: try row.decode(forColumn: "file"), line: try row.decode(forColumn: "line"),
                        sequence: try row.decode(forColumn: "seq")))
            }
            if !found.isEmpty { orphans[paymentID] = found }
        }
        return orphans
    }

    /// The lengths of the `IN` lists `forEachRow` prepares, with their places.
    private static let placeLists = [8, 64, 500].map { (places: $0, marks: databaseQuestionMarks(count: $0)) }

    /// Calls `body` with each row of `select`, a query ending in `IN`, for `values` 500 at a
    /// time. The statements are prepared once for a few list lengths (preparing 500 places is
    /// slow): a shorter list's other places are NULL, which matches nothing.
    private func forEachRow(_ select: String, _ values: Set<String>, _ body: (DirectRow) throws -> Void) throws {
        let list = Array(values)
        for start in stride(from: 0, to: list.count, by: 500) {
            let chunk = list[start..<min(start + 500, list.count)]
            let (places, marks) =
                SQLiteStateReader.placeLists.first { $0.places >= chunk.count } ?? SQLiteStateReader.placeLists[2]
            let statement = try db.cachedStatement(sql: "\(select) (\(marks))")
            let nulls = repeatElement(BoundValue.null, count: places - chunk.count)
            try statement.forEachRow(binding: chunk.map(BoundValue.text) + nulls, body)
        }
    }

    /// The stored record of payment `id`: a `StoredPaymentRecord` since 2026-12-06, `PackedJSON`
    /// since 2026-12-02 (BLOBs both), JSON text before.
    private func paymentRecord(_ stored: DatabaseValue, id: String) throws -> PaymentRecord? {
        switch stored.storage {
        case .string(let text): return PaymentRecord(jsonText: text)
        case .blob(let data):
            let bytes = [UInt8](data)
            if StoredPaymentRecord.isEncoded(bytes) {
                guard let record = StoredPaymentRecord.decode(bytes, id: id) else {
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a payment record does not decode")
                }
                return record
            }
            var offset = 0
            let value = try PackedJSON.unpack(bytes, at: &offset) { id in
                if let text = cache.stringTexts[id] { return text }
                let text = try String.fetchOne(db.cachedStatement(sql: "SELECT text FROM strings WHERE id = ?"), arguments: [id])
                if let text { cache.stringTexts.insert(id, text) }
                return text
            }
            return value.flatMap(PaymentRecord.init(json:))
        case .null, .int64, .double: return nil
        }
    }
}

extension SeenEvent {
    /// A seen mark as stored: the event's kind (`nil` when this release does not know it) and
    /// the stored fingerprint.
    init?(storedKind kind: String, fingerprint: [UInt8]) throws {
        guard let kind = Event.Kind(rawValue: kind) else { return nil }
        self.init(kind: kind, fingerprint: try Fingerprint(stored: fingerprint))
    }
}
