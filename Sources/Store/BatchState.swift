import Engine

/// The evaluation state one batch sees: its own changes, then those of the batch before it when
/// that one is still being written, then the scheduler's cache, then the backend's tables, read
/// through `reader` (whose snapshot may predate the batch before: everything that batch changed
/// is in its changes). Nothing is written while evaluating; the batch's `changes` are written
/// afterwards, in the batch's transaction, by the backend.
///
/// A failed read throws the backend's error: the batch stops and keeps nothing.
final class BatchState: EvaluationState {
    private let cache: StateCache
    private let pending: StateChanges
    private let reader: any StateReader
    private(set) var changes = StateChanges()
    /// The histories this batch read from the database: the cache may let them go before the
    /// batch is done with them (it is bounded by their rows).
    private var loaded: [String: AccountHistory] = [:]
    /// The ids of the batch's events that are the first of their id in the queue: no event with
    /// such an id was evaluated before the batch.
    private var newIDs: Set<String> = []
    /// The stored orphans waiting for the batch's payments, once read ahead. Only orphans the
    /// database or the batch before awaited then can be stored: the batch's own are in its
    /// changes.
    private var orphansAhead: [String: [Orphan]]?

    init(cache: StateCache, pending: StateChanges = StateChanges(), reader: any StateReader) {
        self.cache = cache
        self.pending = pending
        self.reader = reader
    }

    // MARK: reading ahead

    /// Reads in a few queries what `batch` will ask for and the cache lacks: its ids, its
    /// refunds' payments and its payers' histories.
    func readAhead(_ batch: [QueuedEvent]) throws {
        var ids = Set<String>()
        var originals = Set<String>()
        var accounts = Set<String>()
        var payments = Set<String>()
        for queued in batch {
            guard case .event(let event, _) = queued.input else { continue }
            if queued.isFirstOfItsID { newIDs.insert(event.id) } else { ids.insert(event.id) }
            switch event {
            case .payment(let payment):
                accounts.insert(payment.account)
                payments.insert(payment.id)
            case .refund(let refund): originals.insert(refund.originalID)
            case .reversal(let reversal): originals.insert(reversal.originalID)
            }
        }
        let unknownIDs = ids.union(originals).subtracting(newIDs).filter { pending.seen[$0] == nil && cache.seen[$0] == nil }
        let found = try reader.seenEvents(unknownIDs)
        for id in unknownIDs { cache.seen.insert(id, found[id]) }

        let unknownPayments = originals.filter { pending.payments[$0] == nil && cache.payments[$0] == nil }
        let records = try reader.paymentRecords(unknownPayments)
        for id in unknownPayments { cache.payments.insert(id, records[id]) }
        try loadHistories(accounts)
        orphansAhead = try reader.storedOrphans(waitingFor: payments.intersection(try awaitedPayments()))
    }

    /// Loads into the cache the histories of `accounts` that it lacks.
    private func loadHistories(_ accounts: Set<String>) throws {
        let missing = accounts.filter {
            changes.accounts[$0] == nil && pending.accounts[$0] == nil && loaded[$0] == nil && cache.accounts[$0] == nil
        }
        guard !missing.isEmpty else { return }
        let stored = try reader.histories(missing)
        for account in missing {
            let history = stored[account] ?? AccountHistory()
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
        let seen = try reader.seenEvents([id])[id]
        cache.seen.insert(id, seen)
        return seen
    }

    func recordSeen(_ id: String, _ seen: SeenEvent) throws { changes.seen[id] = seen }

    func payment(_ id: String) throws -> PaymentRecord? {
        if let record = changes.payments[id] ?? pending.payments[id] { return record }
        if let cached = cache.payments[id] { return cached }
        let record = try reader.paymentRecords([id])[id]
        cache.payments.insert(id, record)
        return record
    }

    func savePayment(_ record: PaymentRecord) throws { changes.payments[record.id] = record }

    func usage(_ key: UsageKey) throws -> Usage {
        if let account = key.account { return try history(account).usage[key] ?? .zero }
        if let usage = changes.usage[key] ?? pending.usage[key] ?? cache.usage[key] { return usage }
        let usage = try reader.sharedUsage(key)
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
                let stored = try (orphansAhead ?? reader.storedOrphans(waitingFor: [paymentID]))[paymentID] ?? []
                taken = stored.filter { !addedSequences.contains($0.origin.sequence) }
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
        let originals = try reader.awaitedPayments()
        cache.orphanOriginals = originals
        return originals
    }
}
