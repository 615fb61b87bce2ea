/// A partner shop: how payments are attributed to it and the rules it funds (SPEC §3.2).
///
/// A class, immutable once loaded: evaluation hands partners around for every payment, and a
/// reference is one count to keep, not one per field.
public final class Partner: Sendable {
    /// How the best kept lines are chosen among matching rules.
    public enum Stacking: String, Sendable {
        /// Every matching rule's line.
        case sum
        /// The single largest capped line (ties: the earlier rule).
        case best
        /// Only the first rule whose conditions hold, whatever its amount.
        case first
    }

    public let id: String
    public let name: String
    /// The file as the user named it (diagnostics name it so).
    public let file: String
    /// The file relative to the rules directory, `partners/fnac.yaml` (explanations name it so:
    /// a stored trace does not depend on where the rules directory was).
    public let relativePath: String
    public let match: PartnerMatch
    /// Payments in other currencies are not attributed; `nil` is `currency: any`.
    public let currency: Currency?
    public let zone: Zone
    /// Local dates in `zone`; `until` is exclusive.
    public let activeFrom: CivilDate?
    public let activeUntil: CivilDate?
    /// The lifetime budget in minor units, if any (also present in `limits` as the last limit).
    public let budget: Int?
    public let stacking: Stacking
    /// The partner's own limits, then its budget.
    public let limits: [Limit]
    public let rules: [Rule]

    init(
        id: String, name: String, file: String, relativePath: String, match: PartnerMatch, currency: Currency?, zone: Zone,
        activeFrom: CivilDate?, activeUntil: CivilDate?, budget: Int?, stacking: Stacking, limits: [Limit], rules: [Rule]
    ) {
        self.id = id
        self.name = name
        self.file = file
        self.relativePath = relativePath
        self.match = match
        self.currency = currency
        self.zone = zone
        self.activeFrom = activeFrom
        self.activeUntil = activeUntil
        self.budget = budget
        self.stacking = stacking
        self.limits = limits
        self.rules = rules
    }

    /// Whether the partner runs on a local date.
    public func isActive(on date: CivilDate) -> Bool {
        if let activeFrom, date < activeFrom { return false }
        if let activeUntil, date >= activeUntil { return false }
        return true
    }
}
