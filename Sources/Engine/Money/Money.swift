/// An amount in minor units of a currency, e.g. a cross-border payment's amount in the
/// merchant's currency.
public struct Money: Sendable, Equatable {
    public let amount: Int
    public let currency: Currency

    public init(amount: Int, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }
}
