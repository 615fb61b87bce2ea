/// The bank's programme: defaults for every file, bank-funded rules and grand-total limits (SPEC §3.1).
public struct Program: Sendable {
    /// Default currency of money amounts; programme rules and limits apply only to payments in it.
    public let currency: Currency
    public let zone: Zone
    public let rounding: RoundingMode
    /// Seconds a line stays pending before it is confirmed.
    public let confirmAfterSeconds: Int64
    public let limits: [Limit]
    public let rules: [Rule]

    /// The programme of a rules directory without `program.yaml`.
    public static let defaults = Program(
        currency: .euro, zone: .utc, rounding: .down, confirmAfterSeconds: 0, limits: [], rules: [])
}
