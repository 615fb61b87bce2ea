/// Where a payment was made, as the acquirer reports it.
public struct Merchant: Sendable, Equatable {
    /// How the card was used.
    public enum Channel: String, Sendable, CaseIterable {
        case online
        case inStore = "in_store"
    }

    /// Acquirer merchant id.
    public let mid: String?
    /// French legal id, 14 digits.
    public let siret: String?
    public let name: String?
    /// Merchant category code, 4 digits.
    public let mcc: String?
    /// ISO 3166 alpha-2.
    public let country: String?
    public let channel: Channel?

    public init(
        mid: String? = nil, siret: String? = nil, name: String? = nil, mcc: String? = nil, country: String? = nil,
        channel: Channel? = nil
    ) {
        self.mid = mid
        self.siret = siret
        self.name = name
        self.mcc = mcc
        self.country = country
        self.channel = channel
    }
}
