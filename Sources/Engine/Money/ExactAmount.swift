/// An exact, non-negative amount in minor units, as a reward plugin computes it before rounding:
/// `numerator / denominator` minor units.
///
/// `percentage: 2.5%` of 13.33 EUR is `1333 × 25000 / 1_000_000` = 33.325 cents.
public struct ExactAmount: Sendable, Equatable, CustomStringConvertible {
    public let numerator: Int128
    public let denominator: Int128

    /// An exact amount of `numerator / denominator` minor units; `denominator` must be positive.
    public init(numerator: Int128, denominator: Int128) {
        precondition(denominator > 0, "an exact amount needs a positive denominator")
        self.numerator = numerator
        self.denominator = denominator
    }

    /// A whole number of minor units.
    public init(minorUnits: Int) {
        self.init(numerator: Int128(minorUnits), denominator: 1)
    }

    /// Zero minor units.
    public static let zero = ExactAmount(minorUnits: 0)

    /// The sum of two exact amounts.
    public static func + (lhs: ExactAmount, rhs: ExactAmount) -> ExactAmount {
        if lhs.denominator == rhs.denominator {
            return ExactAmount(numerator: lhs.numerator + rhs.numerator, denominator: lhs.denominator)
        }
        return ExactAmount(
            numerator: lhs.numerator * rhs.denominator + rhs.numerator * lhs.denominator,
            denominator: lhs.denominator * rhs.denominator)
    }

    /// Rounds to whole minor units with `mode`.
    public func rounded(_ mode: RoundingMode) -> Int {
        let quotient = numerator / denominator  // truncates toward zero
        let remainder = numerator % denominator
        if remainder == 0 { return Int(quotient) }
        let twice = remainder.magnitude * 2
        let half = denominator.magnitude
        let awayFromZero: Int128 = numerator < 0 ? -1 : 1
        switch mode {
        case .down:
            return Int(quotient)
        case .halfUp:
            return Int(twice >= half ? quotient + awayFromZero : quotient)
        case .halfEven:
            if twice > half { return Int(quotient + awayFromZero) }
            if twice < half { return Int(quotient) }
            return Int(quotient % 2 == 0 ? quotient : quotient + awayFromZero)
        }
    }

    public var description: String { "\(numerator)/\(denominator)" }
}
