extension StateChanges {
    /// Writes the changes through `session`, inside the batch's transaction: one statement per
    /// table.
    func write(to session: PostgresSession) throws {
        // One row per id: enqueueing accepted it, evaluation marks it seen.
        try session.insert(
            into: "accepted (event_id, fingerprint, seen_kind)",
            rows: seen.sorted { $0.key < $1.key }.map { id, seen in
                [.text(id), .blob(seen.fingerprint.bytes), .text(seen.kind.rawValue)]
            },
            suffix: "ON CONFLICT (event_id) DO UPDATE SET seen_kind = excluded.seen_kind")
        try session.insert(
            into: "payments (event_id, record)",
            rows: payments.sorted { $0.key < $1.key }.map { id, record in [.text(id), .blob(StoredPaymentRecord.encode(record))]
            },
            suffix: "ON CONFLICT (event_id) DO UPDATE SET record = excluded.record")
        try session.insert(
            into: "usage (limit_id, account, period, period_index, amount, count)",
            rows: usage.filter { $0.key.account == nil }.map { key, value in
                [
                    .text(key.limit), .text(""), .text(key.period.period.rawValue), .integer(key.period.index),
                    .integer(value.amount), .integer(value.count),
                ]
            },
            suffix:
                "ON CONFLICT (limit_id, account, period, period_index) DO UPDATE SET amount = excluded.amount, count = excluded.count"
        )
        try session.insert(
            into: "histories (account, history)",
            rows: accounts.sorted { $0.key < $1.key }.map { account, history in [.text(account), .blob(history.packed())] },
            suffix: "ON CONFLICT (account) DO UPDATE SET history = excluded.history")
        if !orphansTaken.isEmpty {
            try session.execute("DELETE FROM orphans WHERE original_id = ANY($1)", [.texts(Array(orphansTaken))])
        }
        try session.insert(
            into: "orphans (original_id, event_id, queue_seq)",
            rows: orphansAdded.map { [.text($0.originalID), .text($0.event.id), .integer($0.origin.sequence)] })
    }
}
