import Engine

extension PartnerStatement {
    /// The statement of `partner` for a month of `zone`, from the ledger `store` keeps, as it
    /// stands at `now`; `nil` for a month that is not one.
    package static func of(
        partner: String, year: Int, month: Int, zone: Zone, now: Timestamp, in store: any Storage
    ) async throws -> PartnerStatement? {
        guard let window = window(year: year, month: month) else { return nil }
        let entries = try await store.statementEntries(ofPartner: partner, from: window.from, until: window.until)
        return PartnerStatement(partner: partner, year: year, month: month, zone: zone, entries: entries, now: now)
    }
}
