/// The history a payment's plugins read, passing every read through to the state and keeping
/// the first error the state threw.
///
/// A plugin may let a history error go, wrap it in its own or swallow it; whichever it did,
/// the evaluator asks `stateFailure` after the call, so a storage failure always stops the
/// batch and is never taken for the plugin's failure (which would make the event dead).
final class GuardedHistory: PaymentHistory {
    private let base: any PaymentHistory
    /// The first error a read threw.
    private(set) var stateFailure: (any Error)?

    init(_ base: any PaymentHistory) { self.base = base }

    func earlierPaymentCount(account: String, at partner: String?) throws -> Int {
        try passing { try base.earlierPaymentCount(account: account, at: partner) }
    }

    func spend(account: String, at partner: String?, currency: Currency, days: ClosedRange<Int>) throws -> Int {
        try passing { try base.spend(account: account, at: partner, currency: currency, days: days) }
    }

    private func passing<Value>(_ read: () throws -> Value) throws -> Value {
        do {
            return try read()
        } catch {
            stateFailure = stateFailure ?? error
            throw error
        }
    }
}
