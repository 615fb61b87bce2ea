/// An ISO 4217 currency with a numeric minor unit, e.g. `EUR` (2 digits) or `JPY` (0).
public struct Currency: Hashable, Sendable, CustomStringConvertible {
    /// The upper-case alphabetic code.
    public let code: String
    /// How many fraction digits the currency's minor unit has.
    public let minorDigits: Int

    /// Looks a code up in the shipped ISO 4217 table; `nil` for unknown or lower-case codes.
    public init?(code: String) {
        guard let digits = ISO4217.minorDigits[code] else { return nil }
        self.code = code
        self.minorDigits = digits
    }

    private init(code: String, minorDigits: Int) {
        self.code = code
        self.minorDigits = minorDigits
    }

    /// The euro, the programme's default currency.
    public static let euro = Currency(code: "EUR", minorDigits: 2)

    public var description: String { code }

    /// `10^minorDigits`: how many minor units make one major unit.
    public var minorUnitsPerMajor: Int {
        var result = 1
        for _ in 0..<minorDigits { result *= 10 }
        return result
    }
}
