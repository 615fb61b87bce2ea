import Engine

/// A rate chosen by tiers of the payment amount (`by: amount`) or of the account's earlier spend
/// at the partner in a period (`by: spend`). `whole` applies one rate to the whole amount;
/// `marginal` rates each slice of the amount like tax brackets (`by: amount` only).
///
/// ```yaml
/// reward:
///   tiered:
///     by: spend
///     period: month
///     tiers:
///       - { from: 0, rate: 1% }
///       - { from: 100.00, rate: 2% }
/// ```
public struct TieredReward: RewardPlugin {
    public static let kind = "tiered"
    public static let summary = "rates by tiers of the amount or of earlier spend in a period; whole or marginal"
    public static let example =
        "tiered: { by: amount, mode: marginal, tiers: [{ from: 0, rate: 1% }, { from: 100.00, rate: 2% }] }"
    public static let configurationSchema: JSONValue = Schema.object(
        [
            ("by", Schema.choice(["amount", "spend"])), ("period", Schema.period),
            ("mode", Schema.choice(["whole", "marginal"])),
            (
                "tiers",
                Schema.array(Schema.object([("from", Schema.money), ("rate", Schema.percentage)], required: ["from", "rate"]))
            ),
        ],
        required: ["tiers"])

    enum Basis: String { case amount, spend }
    enum Mode: String { case whole, marginal }

    struct Tier {
        let from: Int
        let rate: Rate
    }

    let basis: Basis
    let mode: Mode
    let period: Period?
    let tiers: [Tier]

    public init(configuration: ConfigNode, context: PluginContext) throws(ConfigError) {
        let fields = try configuration.mapping(allowed: ["by", "period", "mode", "tiers"])
        basis = try fields["by"]?.choice(Basis.self, expected: "amount | spend") ?? .amount
        mode = try fields["mode"]?.choice(Mode.self, expected: "whole | marginal") ?? .whole
        period = try fields["period"]?.choice(Period.self, expected: "day | week | month | year | lifetime")
        switch basis {
        case .spend where period == nil:
            throw configuration.error("by: spend needs a period (day, week, month, year or lifetime)")
        case .amount where period != nil:
            throw (fields["period"] ?? configuration).error("period is only for by: spend")
        default: break
        }
        if mode == .marginal && basis == .spend {
            throw (fields["mode"] ?? configuration).error("marginal works only with by: amount")
        }

        var tiers: [Tier] = []
        for item in try fields.required("tiers").list() {
            let tier = try item.mapping(allowed: ["from", "rate"])
            let fromNode = try tier.required("from")
            let from = try fromNode.money(context.currency)
            if tiers.isEmpty && from != 0 { throw fromNode.error("the first tier must start at from: 0") }
            if let previous = tiers.last, from <= previous.from {
                throw fromNode.error("tiers must have strictly increasing from")
            }
            tiers.append(Tier(from: from, rate: try tier.required("rate").rate()))
        }
        guard !tiers.isEmpty else { throw configuration.error("expected at least one tier") }
        self.tiers = tiers
    }

    public func reward(for payment: Payment) throws -> ExactAmount {
        switch (basis, mode) {
        case (.amount, .marginal):
            var total = ExactAmount.zero
            for (index, tier) in tiers.enumerated() where payment.amount > tier.from {
                let upper = index + 1 < tiers.count ? min(payment.amount, tiers[index + 1].from) : payment.amount
                total = total + tier.rate.of(upper - tier.from)
            }
            return total
        case (.amount, .whole):
            return rate(at: payment.amount).of(payment.amount)
        case (.spend, _):
            // `init` requires a period with `by: spend`; lifetime is what a missing one would mean.
            return rate(at: try payment.earlierSpend(in: period ?? .lifetime)).of(payment.amount)
        }
    }

    public var readsSpendHistory: Bool { basis == .spend }

    /// The rate of the highest tier whose `from` is at most `value` (the first tier below 0).
    func rate(at value: Int) -> Rate {
        tiers.last(where: { $0.from <= value })?.rate ?? tiers.first?.rate ?? Rate(millionths: 0)
    }
}
