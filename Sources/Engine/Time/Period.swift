/// A calendar period that limits and spend tiers count in.
public enum Period: String, Sendable, CaseIterable, Hashable {
    case day, week, month, year, lifetime

    /// The period of this kind that holds a local date, as a compact key.
    ///
    /// Weeks are ISO weeks (Monday first), keyed by their Monday. Every date works, including
    /// the local dates of year 0 and year 10000 that extreme instants have in some zones.
    public func key(for date: CivilDate) -> PeriodKey {
        switch self {
        case .day: return PeriodKey(period: self, index: date.daysSinceEpoch)
        case .week: return PeriodKey(period: self, index: date.daysSinceEpoch - date.weekday.isoIndex)
        case .month: return PeriodKey(period: self, index: date.year * 12 + date.month - 1)
        case .year: return PeriodKey(period: self, index: date.year)
        case .lifetime: return PeriodKey(period: self, index: 0)
        }
    }
}

/// One concrete period: November 2026, the ISO week starting 2026-11-02, forever.
public struct PeriodKey: Hashable, Sendable, CustomStringConvertible {
    public let period: Period
    /// Days since the epoch for days and weeks (the Monday), `year × 12 + month − 1` for months,
    /// the year for years, 0 for lifetime.
    public let index: Int

    public init(period: Period, index: Int) {
        self.period = period
        self.index = index
    }

    /// The year and month (1–12) of a month key, whatever the sign of its index.
    private var yearAndMonth: (year: Int, month: Int) {
        let year = index >= 0 ? index / 12 : (index + 1) / 12 - 1
        return (year, index - year * 12 + 1)
    }

    /// The local days (days since the epoch) the period spans.
    ///
    /// Total for every key that `Period.key(for:)` makes: no date range check, so the months of
    /// year 0 and year 10000 work like any other.
    public var days: ClosedRange<Int> {
        switch period {
        case .day: return index...index
        case .week: return index...(index + 6)
        case .month:
            let (year, month) = yearAndMonth
            let first = CivilDate.daysSinceEpoch(year: year, month: month, day: 1)
            return first...(first + CivilDate.daysIn(month: month, year: year) - 1)
        case .year:
            let first = CivilDate.daysSinceEpoch(year: index, month: 1, day: 1)
            return first...CivilDate.daysSinceEpoch(year: index, month: 12, day: 31)
        case .lifetime: return Int.min...Int.max
        }
    }

    /// `2026-11-03`, `week of 2026-11-02`, `2026-11`, `2026`, `lifetime`.
    public var description: String {
        switch period {
        case .day: return CivilDate(daysSinceEpoch: index).description
        case .week: return "week of \(CivilDate(daysSinceEpoch: index))"
        case .month:
            let (year, month) = yearAndMonth
            return CivilDate.yearText(year) + "-" + twoDigits(month)
        case .year: return CivilDate.yearText(index)
        case .lifetime: return "lifetime"
        }
    }
}
