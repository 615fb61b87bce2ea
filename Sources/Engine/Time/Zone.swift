import Foundation

/// A time zone as a table of UTC offsets, built once from the system's tz database so that
/// converting an instant to local time is a binary search, not a calendar computation.
public struct Zone: Sendable, Hashable, CustomStringConvertible {
    /// The IANA identifier, e.g. `Europe/Paris`.
    public let identifier: String
    /// Instants (epoch seconds) where the offset changes, ascending.
    private let transitions: [Int64]
    /// `offsets[i]` holds before `transitions[i]`; the last entry holds after the last transition.
    private let offsets: [Int32]

    /// UTC.
    public static let utc = Zone(identifier: "UTC", transitions: [], offsets: [0])

    private init(identifier: String, transitions: [Int64], offsets: [Int32]) {
        self.identifier = identifier
        self.transitions = transitions
        self.offsets = offsets
    }

    /// Loads an IANA zone; `nil` when the tz database does not know it.
    public init?(identifier: String) {
        if identifier == "UTC" || identifier == "Etc/UTC" {
            self = .utc
            return
        }
        guard identifier.contains("/") || identifier == "GMT", let zone = TimeZone(identifier: identifier) else {
            return nil
        }
        var transitions: [Int64] = []
        var offsets: [Int32] = []
        let start = Date(timeIntervalSince1970: 0)  // 1970-01-01
        let end = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        var cursor = start
        offsets.append(Int32(zone.secondsFromGMT(for: start)))
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            let offset = Int32(zone.secondsFromGMT(for: next))
            if offset != offsets.last {
                transitions.append(Int64(next.timeIntervalSince1970.rounded()))
                offsets.append(offset)
            }
            cursor = next
        }
        self.init(identifier: identifier, transitions: transitions, offsets: offsets)
    }

    /// The UTC offset in seconds at an instant.
    public func offset(at instant: Timestamp) -> Int {
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= instant.epochSeconds { low = middle + 1 } else { high = middle }
        }
        return Int(offsets[low])
    }

    /// The wall-clock date and time of an instant in this zone.
    public func localTime(_ instant: Timestamp) -> LocalTime {
        let local = instant.epochSeconds + Int64(offset(at: instant))
        let days = local.floorDivided(by: 86_400)
        return LocalTime(date: CivilDate(daysSinceEpoch: Int(days)), secondOfDay: Int(local - days * 86_400))
    }

    public var description: String { identifier }

    public static func == (lhs: Zone, rhs: Zone) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }
}
