/// Why a payment got what it got, for `--explain`: every rule considered, each limit's cut.
public struct Trace: Sendable, Equatable {
    /// A limit applied to an amount.
    public struct LimitStep: Sendable, Equatable {
        /// How the limit was written, e.g. `account/month max 20.00`.
        public let limit: String
        public let before: Int
        public let after: Int
    }

    /// One rule considered.
    public struct RuleStep: Sendable, Equatable {
        public let rule: String
        public let matched: Bool
        /// The first condition that failed, in words.
        public let failure: String?
        /// The rounded reward before limits.
        public let reward: Int?
        public let limits: [LimitStep]
        /// The line's amount after partner and programme limits.
        public var final: Int
    }

    /// The attributed partner, or why none.
    public var attribution: String
    public var rules: [RuleStep] = []
    public var partnerLimits: [LimitStep] = []
    public var programLimits: [LimitStep] = []
    /// For clawbacks: the refunded fraction as `refunded/amount`.
    public var refundedFraction: String?

    public init(attribution: String) { self.attribution = attribution }
}
