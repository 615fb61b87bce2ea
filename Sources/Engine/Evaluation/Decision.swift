/// What happened to one event: the object `dry-run` prints and the service stores (SPEC §5).
///
/// Its `outcome` holds what that outcome has, and only that: amounts for a reward or a clawback,
/// the reason for a conflict, an invalid event or a dead one.
public struct Decision: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case rewarded
        case noReward = "no_reward"
        case clawback, orphan, duplicate, conflict, invalid
        /// A plugin kept failing on the event; it changed nothing and can be retried.
        case dead
    }

    /// What was decided.
    public enum Outcome: Sendable, Equatable {
        /// A payment's cashback: `rewarded` when it is positive, `no_reward` otherwise.
        case reward(Amounts)
        /// What a refund or reversal takes back (`clawback`, whatever its amount).
        case clawback(Amounts)
        /// A refund or reversal whose original is unknown: kept, applied when it arrives.
        case orphan
        /// An id seen before with the same content: ignored.
        case duplicate
        /// An id seen before with other content: rejected.
        case conflict(error: String)
        /// An event that breaks the contract: it changed nothing.
        case invalid(error: String)
        /// A plugin kept failing on the event: it changed nothing and can be retried.
        case dead(error: String)
    }

    /// The money of a reward or a clawback.
    public struct Amounts: Sendable, Equatable {
        /// The attributed partner (a clawback's: the original payment's); `nil` when none.
        public let partner: String?
        public let currency: Currency
        /// The non-zero lines, in evaluation order.
        public let lines: SmallArray<Line>
        /// The sum of `lines`.
        public let cashback: Int
        /// Said of a clawback that went beyond what was left.
        public let warning: String?
        /// The `--explain` trace, when asked for.
        public let trace: Trace?
        /// A payment's amount, for summaries (spend); `nil` for a clawback.
        public let paymentAmount: Int?
        /// The payment a clawback takes back from; `nil` for a payment, and on a decision read
        /// back from its JSON.
        public let originalID: String?
        /// When the event occurred: the ledger confirms the lines from it. `nil` on a decision
        /// read back from its JSON.
        public let occurredAt: Timestamp?

        public init(
            partner: String?, currency: Currency, lines: SmallArray<Line>, warning: String? = nil, trace: Trace? = nil,
            paymentAmount: Int? = nil, originalID: String? = nil, occurredAt: Timestamp? = nil
        ) {
            self.partner = partner
            self.currency = currency
            self.lines = lines
            self.cashback = lines.reduce(0) { $0 + $1.amount }
            self.warning = warning
            self.trace = trace
            self.paymentAmount = paymentAmount
            self.originalID = originalID
            self.occurredAt = occurredAt
        }
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

    /// The event's id; `nil` only for an invalid line without a valid one.
    public let eventID: String?
    /// The event's type; `nil` only for an invalid line.
    public let kind: Event.Kind?
    /// The account reported: a payment's, the original payment's for a clawback, the one the
    /// event names when the decision only echoes it; `nil` for an invalid event.
    public let account: String?
    public let outcome: Outcome
    /// A refund or reversal applied right after its late original.
    public let deferred: Bool
    /// Where the event came from.
    public let origin: EventOrigin

    /// A decision on a valid event.
    public init(event: Event, account: String?, outcome: Outcome, deferred: Bool = false, origin: EventOrigin) {
        self.init(
            eventID: event.id, kind: event.kind, account: account, outcome: outcome, deferred: deferred, origin: origin)
    }

    /// The decision for a line that is not a valid event.
    public init(invalid error: EventError, origin: EventOrigin) {
        self.init(
            eventID: error.eventID, kind: nil, account: nil, outcome: .invalid(error: error.description), deferred: false,
            origin: origin)
    }

    /// Any decision, as read back from storage or built by a test.
    package init(
        eventID: String?, kind: Event.Kind?, account: String?, outcome: Outcome, deferred: Bool = false,
        origin: EventOrigin = .none
    ) {
        self.eventID = eventID
        self.kind = kind
        self.account = account
        self.outcome = outcome
        self.deferred = deferred
        self.origin = origin
    }

    /// The decision for an event a plugin failed on.
    public static func dead(_ event: Event, origin: EventOrigin, failure: PluginFailure) -> Decision {
        Decision(event: event, account: event.account, outcome: .dead(error: failure.description), origin: origin)
    }

    public var status: Status {
        switch outcome {
        case .reward(let amounts): amounts.cashback > 0 ? .rewarded : .noReward
        case .clawback: .clawback
        case .orphan: .orphan
        case .duplicate: .duplicate
        case .conflict: .conflict
        case .invalid: .invalid
        case .dead: .dead
        }
    }

    /// The amounts of a reward or a clawback (statuses rewarded, no_reward, clawback).
    public var amounts: Amounts? {
        switch outcome {
        case .reward(let amounts), .clawback(let amounts): amounts
        case .orphan, .duplicate, .conflict, .invalid, .dead: nil
        }
    }

    /// Whether the decision reports amounts (rewarded, no_reward, clawback).
    public var carriesAmounts: Bool { amounts != nil }

    /// The reason of a conflict, an invalid event or a dead one.
    public var error: String? {
        switch outcome {
        case .conflict(let error), .invalid(let error), .dead(let error): error
        case .reward, .clawback, .orphan, .duplicate: nil
        }
    }

    // Views of `amounts` for decisions of any outcome.

    public var partner: String? { amounts?.partner }
    public var currency: Currency? { amounts?.currency }
    public var lines: SmallArray<Line> { amounts?.lines ?? [] }
    public var cashback: Int { amounts?.cashback ?? 0 }
    public var warning: String? { amounts?.warning }
    public var trace: Trace? { amounts?.trace }
    public var paymentAmount: Int? { amounts?.paymentAmount }
    public var originalID: String? { amounts?.originalID }
    public var occurredAt: Timestamp? { amounts?.occurredAt }
}
