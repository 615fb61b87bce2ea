/// Parts of accounts' payment history: what a rule set's plugins read, and what an in-memory
/// state keeps for them.
public struct HistoryParts: OptionSet, Sendable {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// How many payments each account made, anywhere and at each partner (`first_purchase`,
    /// `nth_purchase`).
    public static let paymentCounts = HistoryParts(rawValue: 1 << 0)
    /// Each account's gross spend by local day (a spend tier).
    public static let spend = HistoryParts(rawValue: 1 << 1)

    public static let all: HistoryParts = [.paymentCounts, .spend]
}

/// What reading a part of the history that a state does not keep throws: a plugin read it
/// without saying so (`readsPaymentCounts`, `readsSpendHistory`). Its events are then dead,
/// rather than decided on a history that was never recorded.
public struct HistoryPartNotKept: Error, CustomStringConvertible {
    /// The part read.
    public let part: HistoryParts

    public var description: String {
        let (name, declaration) =
            part == .spend ? ("spend", "readsSpendHistory") : ("payment count", "readsPaymentCounts")
        return "the \(name) history is not kept for these rules: a plugin that reads it must say so (`\(declaration)`)"
    }
}
