/// A loaded, checked rules directory: the programme, the partners in path order and their index.
public struct RuleSet: Sendable {
    public let program: Program
    public let partners: [Partner]
    public let index: PartnerIndex
    /// The content hash of the files that produced it: every decision records it.
    public let version: String
    /// Whether any rule reads accounts' spend history (a spend tier).
    public let readsSpendHistory: Bool

    public init(program: Program, partners: [Partner], version: String) {
        self.program = program
        self.partners = partners
        self.index = PartnerIndex(partners: partners)
        self.version = version
        self.readsSpendHistory = (program.rules + partners.flatMap(\.rules)).contains { rule in
            rule.reward.readsSpendHistory || rule.conditions.contains { $0.plugin.readsSpendHistory }
        }
    }

    /// The partner a payment is attributed to, if any (SPEC §3.2, §8).
    public func attribute(_ payment: Event.Payment) -> Int? {
        index.firstPartner(for: payment.merchant) { index in
            let partner = partners[index]
            if let partnerCurrency = partner.currency, partnerCurrency != payment.currency { return false }
            guard partner.match.restrictionsHold(for: payment.merchant) else { return false }
            // Most partners run always: no need to find the payment's local date.
            guard partner.activeFrom != nil || partner.activeUntil != nil else { return true }
            return partner.isActive(on: partner.zone.localTime(payment.occurredAt).date)
        }
    }
}
