import Engine

/// The evaluation state the scheduler has read or written, kept in memory across batches.
///
/// The scheduler is the only writer of the state (the database lock refuses a second process),
/// so what it read stays true until it writes it, and it writes only through a batch's
/// `StateChanges`, merged here once their transaction committed. Absence is cached too (an id
/// not seen, a payment not known). Each map is bounded: see `BoundedCache`. Not thread-safe:
/// `SQLiteStore` uses it only under its state lock.
final class StateCache: @unchecked Sendable {
    var seen: BoundedCache<String, SeenEvent?>
    var payments: BoundedCache<String, PaymentRecord?>
    /// The usage of limits kept for everyone (`per: all`); an account's is in its history.
    var usage: BoundedCache<UsageKey, Usage>
    var accounts: BoundedCache<String, AccountHistory>
    /// Texts of the `strings` table (packed payment records refer to them); an id's text never
    /// changes once committed.
    var stringTexts: BoundedCache<Int64, String>
    /// The payments that orphans wait for; `nil` until first needed. Orphans are few (a refund
    /// is an orphan only until its payment arrives), so the set is kept whole.
    var orphanOriginals: Set<String>?

    /// A cache of about `capacity` ids, payments, limit usages and strings, and of accounts'
    /// histories of about `historyRowsPerEntry` × `capacity` rows in all: an account's history
    /// grows with its payments (a row per day it spent), so it is bounded by its rows, not by
    /// the number of accounts.
    init(capacity: Int) {
        seen = BoundedCache(capacity: capacity)
        payments = BoundedCache(capacity: capacity)
        usage = BoundedCache(capacity: capacity)
        accounts = BoundedCache(capacity: capacity * StateCache.historyRowsPerEntry, cost: \.cacheCost)
        stringTexts = BoundedCache(capacity: capacity)
    }

    /// How many rows of accounts' history the cache holds per entry of `capacity`.
    static let historyRowsPerEntry = 16

    /// Takes in what a committed batch wrote.
    func merge(_ changes: StateChanges) {
        for (id, seen) in changes.seen { self.seen.insert(id, seen) }
        for (id, record) in changes.payments { payments.insert(id, record) }
        for (key, value) in changes.usage where key.account == nil { usage.insert(key, value) }
        for (account, history) in changes.accounts { accounts.insert(account, history) }
        orphanOriginals = changes.orphanOriginals ?? orphanOriginals
    }

    /// Forgets everything (after a failure whose effect on the database is unknown).
    func removeAll() {
        seen.removeAll()
        payments.removeAll()
        usage.removeAll()
        accounts.removeAll()
        stringTexts.removeAll()
        orphanOriginals = nil
    }
}

/// What one batch changed in the state, written in its transaction and then merged into the
/// cache.
package struct StateChanges: Sendable {
    var seen: [String: SeenEvent] = [:]
    var payments: [String: PaymentRecord] = [:]
    var usage: [UsageKey: Usage] = [:]
    /// The accounts whose history changed, whole.
    var accounts: [String: AccountHistory] = [:]
    /// Orphans added, in order (without those taken again in the same batch).
    var orphansAdded: [Orphan] = []
    /// Payments whose stored orphans were taken.
    var orphansTaken: Set<String> = []
    /// The set of awaited payments after the batch, when it was read.
    var orphanOriginals: Set<String>?
}
