import Engine
import Foundation

/// The batch steps on PostgreSQL. Claiming, reading the state and evaluating happen outside the
/// write transaction; the write transaction checks the lease's token, then only writes. The
/// state read stays cached across batches while this host leads (it is the state's only
/// writer); a new lease, or a failed commit, forgets it.
extension PostgresStore: BatchStore {
    package func claimBatch(after sequence: Int64?, limit: Int) async throws -> [QueuedEvent] {
        try await withSession { session in
            try session.rows(
                """
                SELECT seq, body, file, line, first_of_id FROM queue
                WHERE seq > COALESCE($1, (SELECT processed_through FROM progress)) ORDER BY seq LIMIT $2
                """, [.integer(sequence), .integer(limit)]
            ).map(PostgresStore.queuedEvent)
        }
    }

    package func evaluate(_ batch: [QueuedEvent], after pending: EvaluatedBatch?, with evaluator: BatchEvaluator)
        async throws -> EvaluatedBatch
    {
        try await withSession { session in
            try self.stateLock.withLock {
                // The lease changes hands only with the state forgotten, under this lock.
                let fence = self.leadership.withLock { $0?.token }
                let state = BatchState(
                    cache: self.stateCache, pending: pending?.changes ?? StateChanges(),
                    reader: PostgresStateReader(session: session))
                try state.readAhead(batch)
                let outcomes = try evaluator.evaluate(batch, state: state)
                return EvaluatedBatch(
                    batch: batch, outcomes: outcomes, changes: state.changes, packedDecisions: [], strings: NewStrings(),
                    fence: fence)
            }
        }
    }

    package func commit(
        _ batch: EvaluatedBatch, evaluator: BatchEvaluator, rulesVersion: String, confirmAfter: Int64, now: Timestamp
    ) async throws -> BatchSummary {
        let summary: BatchSummary
        do {
            summary = try await withSession { session in
                try session.transaction {
                    try self.checkLeadership(in: session, readUnder: batch.fence)
                    try batch.changes.write(to: session)
                    return try PostgresStore.record(
                        batch, in: session, evaluator: evaluator, rulesVersion: rulesVersion, confirmAfter: confirmAfter,
                        now: now)
                }
            }
        } catch {
            stateLock.withLock { stateCache.removeAll() }
            throw error
        }
        stateLock.withLock { stateCache.merge(batch.changes) }
        return summary
    }

    package func settleBetweenBatches() async {}

    /// Writes a batch's decisions, ledger lines, dead events, partner totals and queue position.
    private static func record(
        _ evaluated: EvaluatedBatch, in session: PostgresSession, evaluator: BatchEvaluator, rulesVersion: String,
        confirmAfter: Int64, now: Timestamp
    ) throws -> BatchSummary {
        var summary = BatchSummary(claimed: evaluated.batch.count)
        guard
            let version: Int64 = try session.rows("SELECT id FROM rules_versions WHERE version = $1", [.text(rulesVersion)])
                .first?.column(0)
        else { throw PostgresStoreDataError("rules version \(rulesVersion) is not recorded") }
        var position: Int64 = try session.rows("SELECT COALESCE(MAX(position), 0) FROM decisions")[0].column(0)
        var decisions: [[BoundValue]] = []
        var dead: [[BoundValue]] = []
        let ledgerTable = PostgresLedgerTable(session: session)
        let ledger = LedgerWriter(table: ledgerTable, now: now)
        var totals = PartnerTotals(processedAt: now)
        var lines: [(decision: Decision, position: Int64)] = []
        for (queued, outcome) in zip(evaluated.batch, evaluated.outcomes) {
            switch outcome {
            case .decided(let made):
                for decision in made {
                    position += 1
                    let stored = StoredDecision(decision)
                    decisions.append([
                        .integer(position), .integer(decision.origin.sequence ?? queued.sequence), .text(decision.eventID),
                        .text(decision.status.rawValue), .text(decision.carriesAmounts ? decision.partner : nil),
                        .text(decision.currency?.code), .text(stored.json), .text(stored.trace),
                        .integer(decision.paymentAmount.map(Int64.init)), .integer(version), .integer(now.epochSeconds),
                    ])
                    summary.decisions += 1
                    summary.statuses[decision.status.rawValue, default: 0] += 1
                    if decision.cashback > 0, let currency = decision.currency {
                        summary.awarded[currency.code, default: 0] += decision.cashback
                    }
                    totals.add(decision)
                    lines.append((decision, position))
                }
            case .dead(let failure):
                guard case .event(let event, _) = queued.input else { continue }
                dead.append([
                    .integer(queued.sequence), .text(event.id), .text(failure.description),
                    .integer(evaluator.pluginFailures.attempts), .integer(now.epochSeconds),
                ])
                summary.dead += 1
                summary.statuses["dead", default: 0] += 1
            }
        }
        try session.insert(
            into: """
                decisions (position, queue_seq, event_id, status, partner, currency, json, trace, payment_amount,
                           rules_version, processed_at)
                """, rows: decisions)
        try ledgerTable.preparePendingLines(
            of: lines.compactMap { line in
                guard let original = line.decision.originalID, let account = line.decision.account else { return nil }
                return (account, original)
            })
        for (decision, position) in lines {
            try ledger.record(decision, position: position, confirmAfter: confirmAfter, rulesVersion: version)
        }
        try ledgerTable.flush()
        try session.insert(
            into: "dead (queue_seq, event_id, error, attempts, failed_at)", rows: dead,
            suffix:
                "ON CONFLICT (queue_seq) DO UPDATE SET event_id = excluded.event_id, error = excluded.error, attempts = excluded.attempts, failed_at = excluded.failed_at"
        )
        try session.insert(
            into: "partner_totals (partner, currency, \(PartnerTotals.columns.joined(separator: ", ")))",
            rows: totals.additions.map { [.text($0.partner), .text($0.currency)] + $0.added.map(BoundValue.integer) },
            suffix: PartnerTotals.upsertSuffix)
        try session.insert(
            into: "partner_days (partner, currency, day, budget_used)", rows: totals.dayAdditions, suffix: PartnerTotals.daySuffix
        )
        try session.execute(
            "UPDATE progress SET processed_through = $1 WHERE only_row", [.integer(evaluated.batch.last?.sequence ?? 0)])
        return summary
    }

    /// Records the rules version in force with a snapshot of its files (once per version).
    package func recordRulesVersion(_ version: String, files: [RuleSource], now: Timestamp) async throws {
        let json = try RuleSource.snapshotJSON(files)
        try await withSession { session in
            try session.transaction {
                try session.execute(
                    "INSERT INTO rules_versions (version, recorded_at) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING",
                    [.text(version), .integer(now.epochSeconds)])
                try session.execute(
                    "INSERT INTO rules_snapshots (version, files) VALUES ($1, $2) ON CONFLICT (version) DO NOTHING",
                    [.text(version), .text(json)])
            }
        }
    }

    /// Confirms the ledger lines due at `now` into the credits feed (the leader only: it checks
    /// the lease like a batch); returns how many.
    @discardableResult
    package func confirmDue(now: Timestamp) async throws -> Int {
        try await withSession { session in
            try session.transaction {
                try self.checkLeadership(in: session, readUnder: self.leadership.withLock { $0?.token })
                return try LedgerWriter(table: PostgresLedgerTable(session: session), now: now).confirmDue()
            }
        }
    }
}

extension PostgresStore {
    /// Runs `body` on the evaluation state, read through one session, and commits what it
    /// changed in one transaction when it returns (the store-conformance tests read in a
    /// second store what the first wrote).
    package func inStateTransaction<T>(_ body: (any EvaluationState) throws -> T) throws -> T {
        try stateLock.withLock {
            try pool.withSession { session in
                let state = BatchState(cache: stateCache, reader: PostgresStateReader(session: session))
                let result = try body(state)
                try session.transaction { try state.changes.write(to: session) }
                stateCache.merge(state.changes)
                return result
            }
        }
    }
}
