import Engine

/// The evaluation state's tables in PostgreSQL, read through one connection while a batch
/// evaluates.
struct PostgresStateReader: StateReader {
    let session: PostgresSession

    func seenEvents(_ ids: Set<String>) throws -> [String: SeenEvent] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: SeenEvent] = [:]
        for row in try session.rows(
            "SELECT event_id, seen_kind, fingerprint FROM accepted WHERE seen_kind IS NOT NULL AND event_id = ANY($1)",
            [.texts(Array(ids))])
        {
            found[try row.column(0)] = try SeenEvent(storedKind: row.column(1), fingerprint: row.bytes(2))
        }
        return found
    }

    func paymentRecords(_ ids: Set<String>) throws -> [String: PaymentRecord] {
        guard !ids.isEmpty else { return [:] }
        var records: [String: PaymentRecord] = [:]
        for row in try session.rows("SELECT event_id, record FROM payments WHERE event_id = ANY($1)", [.texts(Array(ids))]) {
            let id: String = try row.column(0)
            guard let record = StoredPaymentRecord.decode(try row.bytes(1), id: id) else {
                throw PostgresStoreDataError("the payment record of \(id) does not decode")
            }
            records[id] = record
        }
        return records
    }

    func histories(_ accounts: Set<String>) throws -> [String: AccountHistory] {
        guard !accounts.isEmpty else { return [:] }
        var histories: [String: AccountHistory] = [:]
        for row in try session.rows(
            "SELECT account, history FROM histories WHERE account = ANY($1)", [.texts(Array(accounts))])
        {
            let account: String = try row.column(0)
            guard let history = AccountHistory(packed: try row.bytes(1), account: account) else {
                throw PostgresStoreDataError("the history of account \(account) does not decode")
            }
            histories[account] = history
        }
        return histories
    }

    func sharedUsage(_ key: UsageKey) throws -> Usage {
        guard
            let row = try session.rows(
                "SELECT amount, count FROM usage WHERE limit_id = $1 AND account = $2 AND period = $3 AND period_index = $4",
                [.text(key.limit), .text(key.account ?? ""), .text(key.period.period.rawValue), .integer(key.period.index)]
            ).first
        else { return .zero }
        return Usage(amount: Int(try row.column(0, as: Int64.self)), count: Int(try row.column(1, as: Int64.self)))
    }

    func awaitedPayments() throws -> Set<String> {
        Set(try session.rows("SELECT DISTINCT original_id FROM orphans").map { try $0.column(0, as: String.self) })
    }

    func storedOrphans(waitingFor paymentIDs: Set<String>) throws -> [String: [Orphan]] {
        guard !paymentIDs.isEmpty else { return [:] }
        var orphans: [String: [Orphan]] = [:]
        for row in try session.rows(
            """
            SELECT q.seq, q.body, q.file, q.line FROM orphans o JOIN queue q ON q.seq = o.queue_seq
            WHERE o.original_id = ANY($1) ORDER BY o.id
            """, [.texts(Array(paymentIDs))])
        {
            let queued = try PostgresStore.queuedEvent(row: row, columns: 4)
            guard case .event(let event, let origin) = queued.input, let clawback = Event.Clawback(event) else { continue }
            orphans[clawback.originalID, default: []].append(Orphan(clawback, origin: origin))
        }
        return orphans
    }
}

/// Stored data that does not decode: the database was changed by something else than cashback.
struct PostgresStoreDataError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
