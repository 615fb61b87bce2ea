extension Event {
    /// A refund or a reversal: an event that takes cashback back from the payment it names.
    public enum Clawback: Sendable, Equatable {
        case refund(Refund)
        case reversal(Reversal)

        /// The refund or reversal `event` is; `nil` for a payment.
        public init?(_ event: Event) {
            switch event {
            case .payment: return nil
            case .refund(let refund): self = .refund(refund)
            case .reversal(let reversal): self = .reversal(reversal)
            }
        }

        public var event: Event {
            switch self {
            case .refund(let refund): .refund(refund)
            case .reversal(let reversal): .reversal(reversal)
            }
        }

        /// The payment it refers to.
        public var originalID: String {
            switch self {
            case .refund(let refund): refund.originalID
            case .reversal(let reversal): reversal.originalID
            }
        }

        /// The currency that must be the original's: a refund's. A reversal undoes the whole
        /// payment in the payment's currency; a currency it names is validated and otherwise
        /// ignored (SPEC §8).
        public var currency: Currency? {
            switch self {
            case .refund(let refund): refund.currency
            case .reversal: nil
            }
        }
    }
}
