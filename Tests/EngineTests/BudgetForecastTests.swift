import Engine
import Testing

/// A budget's burn rate and projected exhaustion, worked by hand.
@Suite struct BudgetForecastTests {
    static let day: Int64 = 86_400
    /// Noon on day 20,000 (2024-10-03).
    static let now = Timestamp(epochSeconds: 20_000 * day + day / 2)

    @Test func theLast7DaysPaceProjectsTheRunOut() {
        // 70.00 over the last 7 days (10.00 a day), 100.00 more before; 35.00 left: 3.5 days.
        let use: [Int64: Int] = [20_000: 3_000, 19_995: 4_000, 19_993: 5_000, 19_980: 5_000]
        let forecast = BudgetForecast(left: 3_500, use: use, now: Self.now)
        #expect(forecast.burn7Days == 7_000)
        #expect(forecast.burn30Days == 17_000)
        #expect(forecast.projectedExhaustion == Timestamp(epochSeconds: Self.now.epochSeconds + 3 * Self.day + Self.day / 2))
        // Day 19,993 is 7 days before today: outside the last 7 days.
        #expect(BudgetForecast(left: 1, use: [19_993: 100], now: Self.now).burn7Days == 0)
    }

    @Test func aQuietWeekFallsBackToTheMonthAndNothingUsedProjectsNothing() {
        let month = BudgetForecast(left: 3_000, use: [19_980: 3_000], now: Self.now)
        #expect(month.burn7Days == 0 && month.burn30Days == 3_000)
        #expect(month.projectedExhaustion == Timestamp(epochSeconds: Self.now.epochSeconds + 30 * Self.day), "100.00 a day")
        #expect(BudgetForecast(left: 3_000, use: [:], now: Self.now).projectedExhaustion == nil)
        #expect(BudgetForecast(left: 3_000, use: [20_000: -500], now: Self.now).projectedExhaustion == nil, "more given back")
        #expect(BudgetForecast(left: 0, use: [20_000: 500], now: Self.now).projectedExhaustion == nil, "used up")
    }

    @Test func aTinyPaceOnAHugeBudgetDoesNotOverflow() {
        let forecast = BudgetForecast(left: Int128(Int64.max), use: [20_000: 1], now: Self.now)
        #expect(forecast.projectedExhaustion == Timestamp(epochSeconds: Int64.max))
    }
}
