import Engine

/// The query behind `Storage.statementEntries`, for both backends (`greatest` is SQLite's `MAX`
/// of two values and PostgreSQL's `GREATEST`): a payment's own line with what the clawbacks
/// that reduced it while pending add up to, and each clawback debited on its own; payable at
/// the later of the line's due time and its decision's processing.
enum StatementQuery {
    static func sql(greatest: String, placeholders: (String, String, String)) -> String {
        let payable = "\(greatest)(ledger.confirm_at, decisions.processed_at)"
        return """
            SELECT ledger.rule, ledger.currency,
                   CAST(ledger.amount + COALESCE((
                     SELECT SUM(netting.amount) FROM ledger netting WHERE netting.nets_ledger_id = ledger.id), 0) AS BIGINT),
                   \(payable), rules_versions.version
            FROM ledger
            JOIN decisions ON decisions.position = ledger.decision_position
            JOIN rules_versions ON rules_versions.id = ledger.rules_version
            WHERE ledger.partner = \(placeholders.0) AND substr(ledger.rule, 1, length(ledger.partner) + 1) = ledger.partner || '/'
              AND ((ledger.amount > 0 AND ledger.original_event_id IS NULL)
                OR (ledger.amount < 0 AND ledger.nets_ledger_id IS NULL))
              AND \(payable) >= \(placeholders.1) AND \(payable) < \(placeholders.2)
            ORDER BY ledger.id
            """
    }

    /// An entry from the query's columns; `nil` for an unknown currency.
    static func entry(rule: String, currency: String, amount: Int, payableAt: Int64, version: String) -> StatementEntry? {
        guard let currency = Currency(code: currency) else { return nil }
        return StatementEntry(
            rule: rule, currency: currency, amount: amount, payableAt: Timestamp(epochSeconds: payableAt), rulesVersion: version)
    }
}
