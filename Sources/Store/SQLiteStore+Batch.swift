import Engine
import Foundation
import GRDB

/// What one committed batch did.
package struct BatchSummary: Sendable, Equatable {
    /// Queue entries claimed (0: the queue was empty).
    package var claimed = 0
    package var decisions = 0
    package var dead = 0
    /// Decisions by status.
    package var statuses: [String: Int] = [:]
    /// Positive cashback by currency, in minor units.
    package var awarded: [String: Int] = [:]
}

extension SQLiteStore {
    /// Records the rules version in force with a snapshot of its files (once per version).
    package func recordRulesVersion(_ version: String, files: [RuleSource], now: Timestamp) async throws {
        let json = try RuleSource.snapshotJSON(files)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO rules_versions (version, recorded_at) VALUES (?, ?)",
                arguments: [version, now.epochSeconds])
            try db.execute(
                sql: "INSERT OR IGNORE INTO rules_snapshots (version, files) VALUES (?, ?)", arguments: [version, json])
        }
    }
}

/// The batch steps on SQLite. Claiming, reading the state and evaluating happen in a read
/// transaction, beside ingest; the write transaction only writes (reading only the ledger lines
/// clawbacks net). The state read stays cached across batches (this store is the state's only
/// writer: the database lock refuses a second process); what a batch wrote joins the cache once
/// committed, and a failed commit empties it.
extension SQLiteStore: BatchStore {
    package func claimBatch(after sequence: Int64?, limit: Int) async throws -> [QueuedEvent] {
        try await pool.read { db in try SQLiteStore.claim(db, after: sequence, limit: limit) }
    }

    package func evaluate(_ batch: [QueuedEvent], after pending: EvaluatedBatch?, with evaluator: BatchEvaluator)
        async throws -> EvaluatedBatch
    {
        try await pool.read { db in
            try self.stateLock.withLock {
                let state = BatchState(
                    cache: self.stateCache, pending: pending?.changes ?? StateChanges(),
                    reader: SQLiteStateReader(db: db, cache: self.stateCache))
                try state.readAhead(batch)
                // A failure of the state throws here: nothing is written.
                let outcomes = try evaluator.evaluate(batch, state: state)
                // Decisions are packed here, beside the previous batch's write, not inside it (the
                // state's rows need no strings: they are packed in the write, which has time).
                let strings = BatchStrings(table: self.strings, pending: pending?.strings ?? NewStrings(), db: db)
                var packedDecisions: [[UInt8]] = []
                var writer = PackedJSONWriter(interning: strings.interning())
                for case .decided(let decisions) in outcomes {
                    for decision in decisions { packedDecisions.append(try StoredDecision.pack(decision, with: &writer)) }
                }
                return EvaluatedBatch(
                    batch: batch, outcomes: outcomes, changes: state.changes, packedDecisions: packedDecisions,
                    strings: strings.added)
            }
        }
    }

    package func commit(
        _ batch: EvaluatedBatch, evaluator: BatchEvaluator, rulesVersion: String, confirmAfter: Int64, now: Timestamp
    ) async throws -> BatchSummary {
        try refuseWritesIfDamaged()
        let summary: BatchSummary
        do {
            summary = try await pool.write { db in
                try batch.strings.write(to: db)
                try batch.changes.write(to: db)
                return try SQLiteStore.record(
                    batch, in: db, evaluator: evaluator, rulesVersion: rulesVersion, confirmAfter: confirmAfter, now: now)
            }
        } catch {
            stateLock.withLock {
                stateCache.removeAll()
                strings.removeAll()
            }
            throw error
        }
        stateLock.withLock {
            stateCache.merge(batch.changes)
            strings.merge(batch.strings)
        }
        return summary
    }

    /// Writes a batch's decisions, ledger lines, dead events and queue position.
    private static func record(
        _ evaluated: EvaluatedBatch, in db: Database, evaluator: BatchEvaluator, rulesVersion: String,
        confirmAfter: Int64, now: Timestamp
    ) throws -> BatchSummary {
        var summary = BatchSummary(claimed: evaluated.batch.count)
        let version = try versionNumber(of: rulesVersion, in: db)
        let insertDecision = try db.cachedStatement(
            sql: """
                INSERT INTO decisions (queue_seq, event_id, status, partner, currency, json, trace, packed,
                                       payment_amount, rules_version, processed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let ledger = LedgerWriter(table: SQLiteLedgerTable(db: db), now: now)
        var totals = PartnerTotals(processedAt: now)
        var packed = evaluated.packedDecisions.makeIterator()
        for (queued, outcome) in zip(evaluated.batch, evaluated.outcomes) {
            switch outcome {
            case .decided(let decisions):
                for decision in decisions {
                    guard let bytes = packed.next() else { preconditionFailure("a decision was not packed") }
                    try insertDecision.run(
                        .integer(decision.origin.sequence ?? queued.sequence), .text(decision.eventID),
                        .text(decision.status.rawValue), .text(decision.carriesAmounts ? decision.partner : nil),
                        .text(decision.currency?.code), .null, .null, .blob(bytes),
                        .integer(decision.paymentAmount.map(Int64.init)),
                        .integer(version), .integer(now.epochSeconds))
                    summary.decisions += 1
                    summary.statuses[decision.status.rawValue, default: 0] += 1
                    if decision.cashback > 0, let currency = decision.currency {
                        summary.awarded[currency.code, default: 0] += decision.cashback
                    }
                    totals.add(decision)
                    try ledger.record(
                        decision, position: db.lastInsertedRowID, confirmAfter: confirmAfter, rulesVersion: version)
                }
            case .dead(let failure):
                guard case .event(let event, _) = queued.input else { continue }
                try db.execute(
                    sql:
                        "INSERT OR REPLACE INTO dead (queue_seq, event_id, error, attempts, failed_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        queued.sequence, event.id, failure.description, evaluator.pluginFailures.attempts, now.epochSeconds,
                    ])
                summary.dead += 1
                summary.statuses["dead", default: 0] += 1
            }
        }
        try totals.write(to: db)
        try db.execute(
            sql: "UPDATE progress SET processed_through = ?", arguments: [evaluated.batch.last?.sequence ?? 0])
        return summary
    }

    /// The number decisions and ledger lines refer to `version` by; it must have been recorded.
    private static func versionNumber(of version: String, in db: Database) throws -> Int64 {
        guard
            let number = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM rules_versions WHERE version = ?"), arguments: [version])
        else {
            throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_FOREIGNKEY, message: "rules version \(version) is not recorded")
        }
        return number
    }
}
