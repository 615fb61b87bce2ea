/// How an exact reward is rounded to the currency's minor unit (program.yaml `rounding`).
public enum RoundingMode: String, Sendable, CaseIterable {
    /// Truncates toward zero.
    case down
    /// Rounds halves away from zero.
    case halfUp = "half-up"
    /// Rounds halves to the even neighbour (banker's rounding).
    case halfEven = "half-even"
}
