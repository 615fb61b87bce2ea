/// An instant, as RFC 3339 text with an offset names it: seconds since the Unix epoch plus
/// nanoseconds. Two timestamps are equal when they name the same instant, whatever their offsets.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let epochSeconds: Int64
    public let nanoseconds: Int32

    public init(epochSeconds: Int64, nanoseconds: Int32 = 0) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
    }

    /// Why a text is not an RFC 3339 timestamp.
    public enum ParseError: Error, Sendable {
        /// Not `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` or `±HH:MM`.
        case malformed
        /// The shape is right but the date or time does not exist (Feb 30, 24:00, a leap second).
        case invalidValue
    }

    /// Parses `2026-11-24T14:03:00+01:00`, `2026-11-24T13:03:00.250Z` and the like.
    public static func parse(_ text: String) -> Result<Timestamp, ParseError> {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    private static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, ParseError> {
        func number(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= bytes.count else { return nil }
            var value = 0
            for index in start..<(start + count) {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        func byte(_ index: Int, is expected: Unicode.Scalar) -> Bool {
            index < bytes.count && UInt32(bytes[index]) == expected.value
        }
        guard let year = number(0, 4), byte(4, is: "-"), let month = number(5, 2), byte(7, is: "-"),
            let day = number(8, 2), byte(10, is: "T"), let hour = number(11, 2), byte(13, is: ":"),
            let minute = number(14, 2), byte(16, is: ":"), let second = number(17, 2)
        else { return .failure(.malformed) }
        var index = 19
        var nanos = 0
        if byte(index, is: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return .failure(.malformed) }
            for _ in min(digits, 9)..<9 { nanos *= 10 }
        }
        var offsetSeconds = 0
        if byte(index, is: "Z") {
            index += 1
        } else if byte(index, is: "+") || byte(index, is: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            guard let offsetHours = number(index + 1, 2), byte(index + 3, is: ":"),
                let offsetMinutes = number(index + 4, 2)
            else { return .failure(.malformed) }
            guard offsetHours <= 23, offsetMinutes <= 59 else { return .failure(.invalidValue) }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
            index += 6
        } else {
            return .failure(.malformed)
        }
        guard index == bytes.count else { return .failure(.malformed) }
        guard let date = CivilDate(year: year, month: month, day: day), hour <= 23, minute <= 59, second <= 59
        else { return .failure(.invalidValue) }
        let localSeconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return .success(Timestamp(epochSeconds: localSeconds - Int64(offsetSeconds), nanoseconds: Int32(nanos)))
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.epochSeconds, lhs.nanoseconds) < (rhs.epochSeconds, rhs.nanoseconds)
    }

    /// The same instant in UTC, RFC 3339: `2026-11-24T13:03:00Z`.
    public var description: String {
        let days = Int(epochSeconds.floorDivided(by: 86_400))
        let secondOfDay = Int(epochSeconds - Int64(days) * 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        var text =
            "\(date)T" + twoDigits(secondOfDay / 3600) + ":" + twoDigits(secondOfDay / 60 % 60) + ":"
            + twoDigits(secondOfDay % 60)
        if nanoseconds != 0 {
            var fraction = String(nanoseconds)
            fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// The instant `seconds` later.
    public func adding(seconds: Int64) -> Timestamp {
        Timestamp(epochSeconds: epochSeconds + seconds, nanoseconds: nanoseconds)
    }
}

func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

extension Int64 {
    /// Division rounding toward negative infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
