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
        let snapshot = files.map { ["path": $0.relativePath, "text": $0.text] }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: snapshot, options: [.sortedKeys]), as: UTF8.self)
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO rules_versions (version, recorded_at) VALUES (?, ?)",
                arguments: [version, now.epochSeconds])
            try db.execute(
                sql: "INSERT OR IGNORE INTO rules_snapshots (version, files) VALUES (?, ?)", arguments: [version, json])
        }
    }

    /// Claims up to `limit` queued events, evaluates them and commits their decisions, ledger
    /// lines, state and the queue position in one transaction: after a crash, a batch is either
    /// wholly applied or not at all.
    package func processBatch(
        limit: Int, evaluator: BatchEvaluator, rulesVersion: String, confirmAfter: Int64, now: Timestamp
    ) async throws -> BatchSummary {
        try await pool.write { db in
            let batch = try SQLiteStore.claim(db, limit: limit)
            guard let last = batch.last else { return BatchSummary() }
            let state = StoreState(db: db)
            // A failure of the state throws here, and the transaction rolls back.
            let outcomes = try evaluator.evaluate(batch, state: state)
            var summary = BatchSummary(claimed: batch.count)
            let insertDecision = try db.cachedStatement(
                sql: """
                    INSERT INTO decisions (queue_seq, event_id, status, partner, currency, json, trace, payment_amount,
                                           rules_version, processed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let ledger = LedgerWriter(db: db, now: now)
            for (queued, outcome) in zip(batch, outcomes) {
                switch outcome {
                case .decided(let decisions):
                    for decision in decisions {
                        try insertDecision.execute(arguments: [
                            decision.origin.sequence ?? queued.sequence, decision.eventID, decision.status.rawValue,
                            decision.carriesAmounts ? decision.partner : nil, decision.currency?.code,
                            decision.jsonLine(includeTrace: false), decision.traceJSON, decision.paymentAmount, rulesVersion,
                            now.epochSeconds,
                        ])
                        summary.decisions += 1
                        summary.statuses[decision.status.rawValue, default: 0] += 1
                        if decision.cashback > 0, let currency = decision.currency {
                            summary.awarded[currency.code, default: 0] += decision.cashback
                        }
                        try ledger.record(
                            decision, position: db.lastInsertedRowID, confirmAfter: confirmAfter, rulesVersion: rulesVersion)
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
            try db.execute(sql: "UPDATE progress SET processed_through = ?", arguments: [last.sequence])
            return summary
        }
    }
}
