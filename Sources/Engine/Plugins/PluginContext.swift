/// What a plugin knows while it reads its configuration: the rule file's money currency and
/// time zone, and who owns the rule.
public struct PluginContext: Sendable {
    /// The currency of money amounts in the file; `nil` for a `currency: any` partner file,
    /// where money amounts are not allowed.
    public let currency: Currency?
    /// The file's time zone, for calendar conditions and periods.
    public let zone: Zone
    public let scope: RuleScope
    /// Partner ids defined across the rules directory, for plugins that name partners.
    public let partnerIDs: Set<String>

    public init(currency: Currency?, zone: Zone, scope: RuleScope, partnerIDs: Set<String> = []) {
        self.currency = currency
        self.zone = zone
        self.scope = scope
        self.partnerIDs = partnerIDs
    }
}
