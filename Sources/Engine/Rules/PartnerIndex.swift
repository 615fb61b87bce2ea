/// Finds the partner of a payment without scanning every partner: exact `mid` and `siret` by hash
/// lookup, name globs only over the partners that have them.
public struct PartnerIndex: Sendable {
    private let byMID: [String: [Int]]
    private let bySIRET: [String: [Int]]
    /// (partner index, glob), in file order: a partner's globs next to each other.
    private let globs: [(partner: Int, glob: Glob)]

    public init(partners: [Partner]) {
        var byMID: [String: [Int]] = [:]
        var bySIRET: [String: [Int]] = [:]
        var globs: [(Int, Glob)] = []
        for (index, partner) in partners.enumerated() {
            for mid in Set(partner.match.mids) { byMID[mid, default: []].append(index) }
            for siret in Set(partner.match.sirets) { bySIRET[siret, default: []].append(index) }
            for glob in partner.match.names { globs.append((index, glob)) }
        }
        self.byMID = byMID
        self.bySIRET = bySIRET
        self.globs = globs
    }

    /// The first attribution candidate that `isUsable` accepts. Candidates come in order: partners whose `mid` matches, then whose `siret`
    /// matches, then whose name glob matches, each group in file order (SPEC §8). The caller
    /// accepts the first whose restrictions, currency and dates hold.
    public func firstPartner(for merchant: Merchant, where isUsable: (Int) -> Bool) -> Int? {
        if let mid = merchant.mid, let found = byMID[mid]?.first(where: isUsable) { return found }
        if let siret = merchant.siret, let found = bySIRET[siret]?.first(where: isUsable) { return found }
        guard let name = merchant.name, !globs.isEmpty else { return nil }
        // A partner's globs are next to each other: once one matched, the partner was tried.
        var tried: Int?
        for (partner, glob) in globs where partner != tried && glob.matches(name) {
            tried = partner
            if isUsable(partner) { return partner }
        }
        return nil
    }
}
