import Engine

extension BudgetForecast {
    /// The burn and projected exhaustion at `now` of `partner`'s budget in `currency`, with
    /// `left` minor units left, from what `store` counted per day.
    package static func of(
        partner: String, currency: String, left: Int128, now: Timestamp, in store: any Storage
    ) async throws -> BudgetForecast {
        let use = try await store.budgetUse(ofPartner: partner, currency: currency, fromDay: firstDay(at: now))
        return BudgetForecast(left: left, use: use, now: now)
    }
}
