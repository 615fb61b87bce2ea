import Engine

/// Where a batch's evaluation state is read from when neither the batch's layers nor the
/// scheduler's cache hold it: a backend's tables, read synchronously while the batch evaluates.
/// A failed read throws the backend's error: the batch stops and keeps nothing.
protocol StateReader {
    /// The events evaluated under `ids` (those never evaluated are absent).
    func seenEvents(_ ids: Set<String>) throws -> [String: SeenEvent]
    /// The stored records of the payments `ids` (those unknown are absent).
    func paymentRecords(_ ids: Set<String>) throws -> [String: PaymentRecord]
    /// The histories of `accounts` (an account with none is absent).
    func histories(_ accounts: Set<String>) throws -> [String: AccountHistory]
    /// The usage of a limit kept for everyone (`per: all`).
    func sharedUsage(_ key: UsageKey) throws -> Usage
    /// The payments that stored orphans wait for.
    func awaitedPayments() throws -> Set<String>
    /// The stored orphans waiting for each of `paymentIDs`, oldest first (a payment nobody
    /// waits for is absent).
    func storedOrphans(waitingFor paymentIDs: Set<String>) throws -> [String: [Orphan]]
}
