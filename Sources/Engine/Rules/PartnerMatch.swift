/// How payments are attributed to a partner: identifiers, then restrictions.
public struct PartnerMatch: Sendable {
    public let mids: [String]
    public let sirets: [String]
    public let names: [Glob]
    /// When set, the merchant's country must be one of these.
    public let countries: Set<String>?
    /// When set, the payment's channel must be one of these.
    public let channels: Set<Merchant.Channel>?
    /// Where `match:` was written, for diagnostics.
    public let line: Int
    public let column: Int

    /// Whether a merchant meets the restrictions; a restriction on a field the merchant lacks
    /// does not hold.
    public func restrictionsHold(for merchant: Merchant) -> Bool {
        if let countries {
            guard let country = merchant.country, countries.contains(country) else { return false }
        }
        if let channels {
            guard let channel = merchant.channel, channels.contains(channel) else { return false }
        }
        return true
    }
}
