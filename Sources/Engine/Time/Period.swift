/// A calendar period that limits and spend tiers count in.
public enum Period: String, Sendable, CaseIterable, Hashable {
    case day, week, month, year, lifetime

    /// The period of this kind that holds a local date, as a compact key.
    ///
    /// Weeks are ISO weeks (Monday first), keyed by their Monday.
    public func key(for date: CivilDate) -> PeriodKey {
        switch self {
        case .day: return PeriodKey(period: self, index: date.daysSinceEpoch)
        case .week:
            let mondayOffset = Weekday.allCases.firstIndex(of: date.weekday)!
            return PeriodKey(period: self, index: date.daysSinceEpoch - mondayOffset)
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

    /// The local days (days since the epoch) the period spans.
    public var days: ClosedRange<Int> {
        switch period {
        case .day: return index...index
        case .week: return index...(index + 6)
        case .month:
            let first = CivilDate(year: index / 12, month: index % 12 + 1, day: 1)!
            return first.daysSinceEpoch...(first.daysSinceEpoch + CivilDate.daysIn(month: first.month, year: first.year) - 1)
        case .year:
            return CivilDate(year: index, month: 1, day: 1)!.daysSinceEpoch...CivilDate(year: index, month: 12, day: 31)!.daysSinceEpoch
        case .lifetime: return Int.min...Int.max
        }
    }

    /// `2026-11-03`, `week of 2026-11-02`, `2026-11`, `2026`, `lifetime`.
    public var description: String {
        switch period {
        case .day: return CivilDate(daysSinceEpoch: index).description
        case .week: return "week of \(CivilDate(daysSinceEpoch: index))"
        case .month: return "\(index / 12)-\(twoDigits(index % 12 + 1))"
        case .year: return String(index)
        case .lifetime: return "lifetime"
        }
    }
}
