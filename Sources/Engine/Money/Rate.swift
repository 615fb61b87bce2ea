/// A percentage with up to 4 decimals, held as millionths: `5%` is 50 000, `1.2345%` is 12 345.
public struct Rate: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The rate in millionths of the amount (`percent × 10 000`).
    public let millionths: Int

    /// One hundred percent.
    public static let whole = Rate(millionths: 1_000_000)

    public init(millionths: Int) { self.millionths = millionths }

    /// Parses `digits[.1–4 digits]%`; `nil` when the text does not fit that grammar.
    public init?(percentText text: String) {
        guard text.hasSuffix("%") else { return nil }
        let number = String(text.dropLast())
        guard case .success(let value) = DecimalAmount.minorUnits(number, digits: 4) else { return nil }
        self.millionths = value
    }

    /// `rate × minorUnits`, exactly.
    public func of(_ minorUnits: Int) -> ExactAmount {
        ExactAmount(numerator: Int128(minorUnits) * Int128(millionths), denominator: 1_000_000)
    }

    public static func < (lhs: Rate, rhs: Rate) -> Bool { lhs.millionths < rhs.millionths }

    /// `"2.5%"`: the shortest text that names the rate.
    public var description: String {
        var text = DecimalAmount.format(millionths, digits: 4)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "%"
    }
}
