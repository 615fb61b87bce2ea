/// How fast a partner's budget is being used and when it runs out at that pace: the budget its
/// own lines used (net of clawbacks) over the last 7 and 30 days of processing, and the
/// projected exhaustion at the last 7 days' pace (the last 30 days' when the last 7 used none).
package struct BudgetForecast: Sendable, Equatable {
    /// Used over the last 7 days, today included.
    package let burn7Days: Int128
    /// Used over the last 30 days, today included.
    package let burn30Days: Int128
    /// When the budget runs out at that pace; `nil` when it is used up, or when nothing was used
    /// (or more given back than used) lately.
    package let projectedExhaustion: Timestamp?

    /// The forecast at `now` for a budget with `left` minor units left, from the use per day
    /// (UTC days since 1970, as `budgetUse` gives them).
    package init(left: Int128, use: [Int64: Int], now: Timestamp) {
        let today = now.epochSeconds / BudgetForecast.day
        let since = { (days: Int64) in use.filter { $0.key > today - days }.values.reduce(Int128(0)) { $0 + Int128($1) } }
        burn7Days = since(7)
        burn30Days = since(30)
        let (used, days): (Int128, Int128) = burn7Days > 0 ? (burn7Days, 7) : (burn30Days, 30)
        guard left > 0, used > 0 else {
            projectedExhaustion = nil
            return
        }
        // left / (used per second), in whole seconds, rounded up: never earlier than the pace says.
        let seconds = (left * days * Int128(BudgetForecast.day) + used - 1) / used
        let clamped = min(seconds, Int128(Int64.max - now.epochSeconds))
        projectedExhaustion = Timestamp(epochSeconds: now.epochSeconds + Int64(clamped))
    }

    /// The first day (UTC days since 1970) the forecast at `now` reads.
    package static func firstDay(at now: Timestamp) -> Int64 { now.epochSeconds / day - 29 }

    private static let day: Int64 = 86_400
}
