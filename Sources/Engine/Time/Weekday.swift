/// A day of the week, Monday first (ISO 8601), named as rule files name it.
public enum Weekday: String, CaseIterable, Sendable, Comparable {
    case mon, tue, wed, thu, fri, sat, sun

    /// Days after Monday: 0 for Monday … 6 for Sunday.
    public var isoIndex: Int {
        switch self {
        case .mon: return 0
        case .tue: return 1
        case .wed: return 2
        case .thu: return 3
        case .fri: return 4
        case .sat: return 5
        case .sun: return 6
        }
    }

    /// The weekday `index` days after Monday, modulo 7 (any integer is accepted).
    public init(isoIndex index: Int) {
        switch ((index % 7) + 7) % 7 {
        case 0: self = .mon
        case 1: self = .tue
        case 2: self = .wed
        case 3: self = .thu
        case 4: self = .fri
        case 5: self = .sat
        default: self = .sun
        }
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.isoIndex < rhs.isoIndex }
}
