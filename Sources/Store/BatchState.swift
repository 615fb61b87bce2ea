import Engine
import Foundation
import GRDB

/// The evaluation state one batch sees: its own changes, then those of the batch before it when
/// that one is still being written, then the scheduler's cache, then the database, read through
/// a read-only connection (whose snapshot may predate the batch before: everything that batch
/// changed is in its changes). Nothing is written while evaluating; the batch's `changes` are
/// written afterwards, in the batch's transaction, by `StateChanges.write(to:)`.
///
/// A failed read throws SQLite's error: the batch stops and keeps nothing.
final class BatchState: EvaluationState {
    private let cache: StateCache
    private let pending: StateChanges
    private let db: Database
    private(set) var changes = StateChanges()
    /// The histories this batch read from the database: the cache may let them go before the
    /// batch is done with them (it is bounded by their rows).
    private var loaded: [String: AccountHistory] = [:]
    /// The ids of the batch's events that are the first of their id in the queue: no event with
    /// such an id was evaluated before the batch.
    private var newIDs: Set<String> = []

    init(cache: StateCache, pending: StateChanges = StateChanges(), db: Database) {
        self.cache = cache
        self.pending = pending
        self.db = db
    }

    // MARK: reading ahead

    /// Reads in a few queries what `batch` will ask for and the cache lacks: its ids, its
    /// refunds' payments and its payers' histories.
    func readAhead(_ batch: [QueuedEvent]) throws {
        var ids = Set<String>()
        var originals = Set<String>()
        var accounts = Set<String>()
        for queued in batch {
            guard case .event(let event, _) = queued.input else { continue }
            if queued.isFirstOfItsID { newIDs.insert(event.id) } else { ids.insert(event.id) }
            switch event {
            case .payment(let payment): accounts.insert(payment.account)
            case .refund(let refund): originals.insert(refund.originalID)
            case .reversal(let reversal): originals.insert(reversal.originalID)
            }
        }
        let unknownIDs = ids.union(originals).subtracting(newIDs).filter { pending.seen[$0] == nil && cache.seen[$0] == nil }
        var found: [String: SeenEvent] = [:]
        try forEachRow(
            "SELECT event_id, seen_kind, fingerprint FROM accepted WHERE seen_kind IS NOT NULL AND event_id IN", unknownIDs
        ) { row in
            found[row.text(0)] = try BatchState.seenEvent(kind: row.text(1), fingerprint: row.bytes(2))
        }
        for id in unknownIDs { cache.seen.insert(id, found[id]) }

        let unknownPayments = originals.filter { pending.payments[$0] == nil && cache.payments[$0] == nil }
        var records: [String: PaymentRecord] = [:]
        try forEachRow("SELECT event_id, record FROM payments WHERE event_id IN", unknownPayments) { row in
            let id = row.text(0)
            records[id] = try paymentRecord(row.value(1), id: id)
        }
        for id in unknownPayments { cache.payments.insert(id, records[id]) }
        try loadHistories(accounts)
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
            let (places, marks) = BatchState.placeLists.first { $0.places >= chunk.count } ?? BatchState.placeLists[2]
            let statement = try db.cachedStatement(sql: "\(select) (\(marks))")
            let nulls = repeatElement(BoundValue.null, count: places - chunk.count)
            try statement.forEachRow(binding: chunk.map(BoundValue.text) + nulls, body)
        }
    }

    private static func seenEvent(kind: String, fingerprint: [UInt8]) throws -> SeenEvent? {
        guard let kind = Event.Kind(rawValue: kind) else { return nil }
        return SeenEvent(kind: kind, fingerprint: try Fingerprint(stored: fingerprint))
    }

    /// Loads into the cache the histories of `accounts` that it lacks.
    private func loadHistories(_ accounts: Set<String>) throws {
        let missing = accounts.filter {
            changes.accounts[$0] == nil && pending.accounts[$0] == nil && loaded[$0] == nil && cache.accounts[$0] == nil
        }
        guard !missing.isEmpty else { return }
        var histories = Dictionary(uniqueKeysWithValues: missing.map { ($0, AccountHistory()) })
        try forEachRow("SELECT account, history FROM histories WHERE account IN", missing) { row in
            let account = row.text(0)
            guard let history = AccountHistory(packed: row.bytes(1), account: account) else {
                throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "the history of an account does not decode")
            }
            histories[account] = history
        }
        for (account, history) in histories {
            loaded[account] = history
            cache.accounts.insert(account, history)
        }
    }

    private func history(_ account: String) throws -> AccountHistory {
        if let history = changes.accounts[account] ?? pending.accounts[account] ?? loaded[account] ?? cache.accounts[account] {
            return history
        }
        try loadHistories([account])
        return loaded[account] ?? AccountHistory()
    }

    // MARK: EvaluationState

    func seenEvent(_ id: String) throws -> SeenEvent? {
        if let seen = changes.seen[id] ?? pending.seen[id] { return seen }
        if newIDs.contains(id) { return nil }
        if let cached = cache.seen[id] { return cached }
        var seen: SeenEvent?
        try db.cachedStatement(sql: "SELECT seen_kind, fingerprint FROM accepted WHERE event_id = ? AND seen_kind IS NOT NULL")
            .forEachRow(binding: [.text(id)]) { row in
                seen = try BatchState.seenEvent(kind: row.text(0), fingerprint: row.bytes(1))
            }
        cache.seen.insert(id, seen)
        return seen
    }

    func recordSeen(_ id: String, _ seen: SeenEvent) throws { changes.seen[id] = seen }

    func payment(_ id: String) throws -> PaymentRecord? {
        if let record = changes.payments[id] ?? pending.payments[id] { return record }
        if let cached = cache.payments[id] { return cached }
        let stored = try DatabaseValue.fetchOne(
            db.cachedStatement(sql: "SELECT record FROM payments WHERE event_id = ?"), arguments: [id])
        let record = try stored.flatMap { try paymentRecord($0, id: id) }
        cache.payments.insert(id, record)
        return record
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

    func savePayment(_ record: PaymentRecord) throws { changes.payments[record.id] = record }

    func usage(_ key: UsageKey) throws -> Usage {
        if let account = key.account { return try history(account).usage[key] ?? .zero }
        if let usage = changes.usage[key] ?? pending.usage[key] ?? cache.usage[key] { return usage }
        var usage = Usage.zero
        try db.cachedStatement(
            sql: "SELECT amount, count FROM usage WHERE limit_id = ? AND account = ? AND period = ? AND period_index = ?"
        ).forEachRow(
            binding: [.text(key.limit), .text(key.account ?? ""), .text(key.period.period.rawValue), .integer(key.period.index)]
        ) { row in usage = Usage(amount: row.int(0), count: row.int(1)) }
        cache.usage.insert(key, usage)
        return usage
    }

    func addUsage(_ key: UsageKey, amount: Int, count: Int) throws {
        var usage = try self.usage(key)
        usage.amount += amount
        usage.count += count
        // An account's usage is kept in its history.
        if let account = key.account {
            try changeHistory(of: account) { $0.usage[key] = usage }
        } else {
            changes.usage[key] = usage
        }
    }

    /// Changes the batch's own copy of an account's history, made from the layers below the
    /// first time. Taken out of the changes while it changes, it is changed in place: a copy
    /// left in them would make every change copy the history's tables.
    private func changeHistory(of account: String, _ change: (inout AccountHistory) -> Void) throws {
        var history = try changes.accounts.removeValue(forKey: account) ?? history(account)
        change(&history)
        changes.accounts[account] = history
    }

    func earlierPaymentCount(account: String, at partner: String?) throws -> Int {
        try history(account).purchases[partner] ?? 0
    }

    func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) throws -> Int {
        let scope = SpendScope(account: account, partner: partner, currency: currency.code)
        return InMemoryHistory.spend(try history(account).spends[scope], days: days)
    }

    func recordPurchase(account: String, at partner: String?, currency: Currency, amount: Int, day: Int) throws {
        let scope = SpendScope(account: account, partner: partner, currency: currency.code)
        try changeHistory(of: account) { history in
            history.purchases[partner, default: 0] += 1
            history.spends[scope, default: [:]][day] = InMemoryHistory.saturatingSum(history.spends[scope]?[day] ?? 0, amount)
        }
    }

    func historySnapshot(accounts: Set<String>, includingSpend: Bool) throws -> HistorySnapshot {
        try loadHistories(accounts)
        var snapshot = HistorySnapshot()
        for account in accounts {
            let history = try self.history(account)
            for (partner, count) in history.purchases {
                snapshot.purchases[PurchaseKey(account: account, partner: partner)] = count
            }
            if includingSpend { snapshot.spends.merge(history.spends) { first, _ in first } }
        }
        return snapshot
    }

    func addOrphan(_ orphan: Orphan) throws {
        var originals = try awaitedPayments()
        originals.insert(orphan.originalID)
        changes.orphanOriginals = originals
        changes.orphansAdded.append(orphan)
    }

    func takeOrphans(waitingFor paymentID: String) throws -> [Orphan] {
        var originals = try awaitedPayments()
        guard originals.remove(paymentID) != nil else { return [] }
        changes.orphanOriginals = originals
        var taken: [Orphan] = []
        if !changes.orphansTaken.contains(paymentID) {
            // Oldest first: those stored, then those the batch before added (which the snapshot
            // holds too if that batch committed before it was taken).
            let added = pending.orphansAdded.filter { $0.originalID == paymentID }
            if !pending.orphansTaken.contains(paymentID) {
                let addedSequences = Set(added.map(\.origin.sequence))
                taken = try storedOrphans(waitingFor: paymentID).filter { !addedSequences.contains($0.origin.sequence) }
            }
            taken += added
            changes.orphansTaken.insert(paymentID)
        }
        taken += changes.orphansAdded.filter { $0.originalID == paymentID }
        changes.orphansAdded.removeAll { $0.originalID == paymentID }
        return taken
    }

    private func awaitedPayments() throws -> Set<String> {
        if let originals = changes.orphanOriginals ?? pending.orphanOriginals ?? cache.orphanOriginals { return originals }
        let originals = Set(try String.fetchAll(db, sql: "SELECT DISTINCT original_id FROM orphans"))
        cache.orphanOriginals = originals
        return originals
    }

    private func storedOrphans(waitingFor paymentID: String) throws -> [Orphan] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT q.seq, q.body, q.file, q.line FROM orphans o JOIN queue q ON q.seq = o.queue_seq
                    WHERE o.original_id = ? ORDER BY o.id
                    """),
            arguments: [paymentID]
        ).compactMap { row in
            guard case .success(let event) = try SQLiteStore.queuedBody(row["body"]), let clawback = Event.Clawback(event)
            else { return nil }
            return Orphan(
                clawback,
                origin: EventOrigin(
                    file: try row.decode(forColumn: "file"), line: try row.decode(forColumn: "line"),
                    sequence: try row.decode(forColumn: "seq")))
        }
    }
}

extension StateChanges {
    /// Writes the changes into `db`, inside the batch's transaction.
    func write(to db: Database) throws {
        // One row per id: enqueueing accepted it, evaluation marks it seen.
        let insertSeen = try db.cachedStatement(
            sql: """
                INSERT INTO accepted (event_id, fingerprint, seen_kind) VALUES (?, ?, ?)
                ON CONFLICT (event_id) DO UPDATE SET seen_kind = excluded.seen_kind
                """)
        for (id, seen) in seen.sorted(by: { $0.key < $1.key }) {
            try insertSeen.run(.text(id), .blob(seen.fingerprint.bytes), .text(seen.kind.rawValue))
        }
        let savePayment = try db.cachedStatement(
            sql:
                "INSERT INTO payments (event_id, record) VALUES (?, ?) ON CONFLICT (event_id) DO UPDATE SET record = excluded.record"
        )
        for (id, record) in payments { try savePayment.run(.text(id), .blob(StoredPaymentRecord.encode(record))) }
        let saveUsage = try db.cachedStatement(
            sql: """
                INSERT INTO usage (limit_id, account, period, period_index, amount, count) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET amount = excluded.amount, count = excluded.count
                """)
        for (key, value) in usage where key.account == nil {
            try saveUsage.run(
                .text(key.limit), .text(key.account ?? ""), .text(key.period.period.rawValue), .integer(key.period.index),
                .integer(value.amount), .integer(value.count))
        }
        let saveHistory = try db.cachedStatement(
            sql: "INSERT INTO histories (account, history) VALUES (?, ?) ON CONFLICT DO UPDATE SET history = excluded.history")
        for (account, history) in accounts { try saveHistory.run(.text(account), .blob(history.packed())) }
        let deleteOrphans = try db.cachedStatement(sql: "DELETE FROM orphans WHERE original_id = ?")
        for id in orphansTaken { try deleteOrphans.execute(arguments: [id]) }
        let addOrphan = try db.cachedStatement(sql: "INSERT INTO orphans (original_id, event_id, queue_seq) VALUES (?, ?, ?)")
        for orphan in orphansAdded {
            try addOrphan.execute(arguments: [orphan.originalID, orphan.event.id, orphan.origin.sequence])
        }
    }
}
