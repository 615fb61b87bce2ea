/// An instant seen on the wall clock of a time zone: its local date and second of the day.
public struct LocalTime: Hashable, Sendable {
    public let date: CivilDate
    /// Seconds since local midnight, 0..<86 400.
    public let secondOfDay: Int

    public init(date: CivilDate, secondOfDay: Int) {
        self.date = date
        self.secondOfDay = secondOfDay
    }

    public var weekday: Weekday { date.weekday }
}
