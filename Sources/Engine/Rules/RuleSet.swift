/// A loaded, checked rules directory: the programme, the partners in path order and their index.
public struct RuleSet: Sendable {
    public let program: Program
    public let partners: [Partner]
    public let index: PartnerIndex
    /// The content hash of the files that produced it: every decision records it.
    public let version: String
    /// The parts of accounts' history that its rules read.
    public let historyRead: HistoryParts
    /// Whether any rule reads accounts' spend history (a spend tier).
    public var readsSpendHistory: Bool { historyRead.contains(.spend) }

    public init(program: Program, partners: [Partner], version: String) {
        self.program = program
        self.partners = partners
        self.index = PartnerIndex(partners: partners)
        self.version = version
        var historyRead: HistoryParts = []
        for rule in program.rules + partners.flatMap(\.rules) {
            let reads =
                [(rule.reward.readsSpendHistory, rule.reward.readsPaymentCounts)]
                + rule.conditions.map { ($0.plugin.readsSpendHistory, $0.plugin.readsPaymentCounts) }
            for (spend, counts) in reads {
                if spend { historyRead.insert(.spend) }
                if counts { historyRead.insert(.paymentCounts) }
            }
        }
        self.historyRead = historyRead
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
