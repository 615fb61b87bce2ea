import Engine

/// The partner figures (SPEC §5.1) as table cells, the same in the report and the dashboard.
/// Each cell names its figure (`data-figure`) as the API's JSON does, so a page can be checked
/// against the API.
package enum PartnerFiguresHTML {
    /// The figures' names, as the API's JSON spells them, and their column headings.
    package static let columns: [(name: String, heading: String)] = [
        ("payments", "Payments"), ("rewarded", "Rewarded"), ("spend", "Spend"), ("partner_funded", "Partner-funded"),
        ("bank_funded", "Bank-funded"), ("partner_clawbacks", "Partner clawbacks"), ("bank_clawbacks", "Bank clawbacks"),
        ("net", "Net"),
    ]

    /// A heading cell per figure.
    package static var headings: String { columns.map { "<th class=n>\($0.heading)</th>" }.joined() }

    /// A cell per figure, amounts in `currency`.
    package static func cells(_ figures: PartnerFigures, currency: Currency) -> String {
        let values = [
            String(figures.payments), String(figures.rewarded), currency.format(figures.spend),
            currency.format(figures.partnerFunded), currency.format(figures.bankFunded),
            currency.format(figures.partnerClawbacks), currency.format(figures.bankClawbacks), currency.format(figures.net),
        ]
        return zip(columns, values).map { "<td class=n data-figure=\($0.name)>\(HTMLText.escape($1))</td>" }.joined()
    }
}
