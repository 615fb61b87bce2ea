/// What happened to one event: the object `dry-run` prints and the service stores (SPEC §5).
public struct Decision: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case rewarded
        case noReward = "no_reward"
        case clawback, orphan, duplicate, conflict, invalid
        /// A plugin kept failing on the event; it changed nothing and can be retried.
        case dead
    }

    /// One non-zero line: a reward (positive) or a clawback (negative).
    public struct Line: Sendable, Equatable {
        /// `partner/rule` or `program/rule`.
        public let rule: String
        public let amount: Int

        public init(rule: String, amount: Int) {
            self.rule = rule
            self.amount = amount
        }
    }

    public var status: Status
    public var eventID: String?
    public var kind: Event.Kind?
    public var account: String?
    public var partner: String?
    public var currency: Currency?
    /// The sum of `lines`, for rewarded, no_reward and clawback decisions.
    public var cashback: Int
    public var lines: [Line]
    public var warning: String?
    /// The reason, for invalid and conflict decisions.
    public var error: String?
    /// A refund or reversal applied right after its late original.
    public var deferred: Bool
    /// Where the event came from, for invalid decisions.
    public var origin: EventOrigin
    /// The `--explain` trace, when asked for.
    public var trace: Trace?
    /// The payment amount, for summaries (spend).
    public var paymentAmount: Int?
    /// When the event occurred, for decisions with lines: the ledger confirms them from it.
    public var occurredAt: Timestamp?

    public init(
        status: Status, eventID: String?, kind: Event.Kind?, account: String?, partner: String? = nil,
        currency: Currency? = nil, lines: [Line] = [], warning: String? = nil, error: String? = nil,
        deferred: Bool = false, origin: EventOrigin = .none, trace: Trace? = nil, paymentAmount: Int? = nil,
        occurredAt: Timestamp? = nil
    ) {
        self.status = status
        self.eventID = eventID
        self.kind = kind
        self.account = account
        self.partner = partner
        self.currency = currency
        self.cashback = lines.reduce(0) { $0 + $1.amount }
        self.lines = lines
        self.warning = warning
        self.error = error
        self.deferred = deferred
        self.origin = origin
        self.trace = trace
        self.paymentAmount = paymentAmount
        self.occurredAt = occurredAt
    }

    /// The decision for an event a plugin failed on.
    public static func dead(_ event: Event, origin: EventOrigin, failure: PluginFailure) -> Decision {
        Decision(
            status: .dead, eventID: event.id, kind: event.kind, account: event.account, error: failure.description,
            origin: origin)
    }

    /// Whether the decision reports amounts (rewarded, no_reward, clawback).
    public var carriesAmounts: Bool { status == .rewarded || status == .noReward || status == .clawback }
}
