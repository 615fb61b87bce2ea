import Engine
import Store

/// Where a budgeted partner's budget stands: total, used (its own lines net of clawbacks, in the
/// budget's currency), left, and the burn and projected run-out. The stats endpoint, the
/// metrics and the dashboard show it alike.
struct BudgetStanding: Sendable {
    let currency: Currency
    let total: Int128
    let used: Int128
    let forecast: BudgetForecast

    var left: Int128 { max(0, total - used) }

    /// The standing of `partner`'s budget given its stats, `nil` when it has none.
    static func of(_ partner: Partner, stats: [PartnerStats], now: Timestamp, in store: any Storage) async throws
        -> BudgetStanding?
    {
        guard let budget = partner.budget, let currency = partner.currency else { return nil }
        let total = Int128(budget)
        let used = stats.first { $0.currency == currency.code }?.figures.budgetUsed ?? 0
        let forecast = try await BudgetForecast.of(
            partner: partner.id, currency: currency.code, left: max(0, total - used), now: now, in: store)
        return BudgetStanding(currency: currency, total: total, used: used, forecast: forecast)
    }
}
