import Engine
import Foundation
import GRDB

/// A processed queue entry as a replay needs it: the event and the rules version it was
/// decided with.
package struct ProcessedEntry: Sendable {
    package let queued: QueuedEvent
    package let rulesVersion: String
}

extension SQLiteStore {
    /// Every processed queue entry (dead ones left out: they changed nothing), in processing
    /// order, through the entry whose decisions include position `lastPosition`.
    package func processedEntries(throughDecision lastPosition: Int64) async throws -> [ProcessedEntry] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT q.seq, q.body, q.file, q.line,
                           (SELECT v.version FROM decisions d JOIN rules_versions v ON v.id = d.rules_version
                            WHERE d.queue_seq = q.seq ORDER BY d.position LIMIT 1) AS version,
                           (SELECT MIN(position) FROM decisions WHERE queue_seq = q.seq) AS first
                    FROM queue q
                    WHERE q.seq <= (SELECT processed_through FROM progress)
                      AND EXISTS (SELECT 1 FROM decisions WHERE queue_seq = q.seq)
                    ORDER BY q.seq
                    """)
            var entries: [ProcessedEntry] = []
            for row in rows {
                let first: Int64 = try row.decode(forColumn: "first")
                if first > lastPosition { break }
                entries.append(
                    ProcessedEntry(queued: try SQLiteStore.queuedEvent(row), rulesVersion: try row.decode(forColumn: "version")))
            }
            return entries
        }
    }

    /// The stored decision of an event (its own, not a duplicate's): position and JSON.
    package func ownDecision(ofEvent id: String) async throws -> (position: Int64, json: String)? {
        try await pool.read { db in
            var strings = StringLookup(db: db)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT position, status, json, trace, packed, payment_amount FROM decisions
                    WHERE event_id = ? ORDER BY position
                    """,
                arguments: [id]
            )
            .last { !["duplicate", "conflict"].contains($0["status"] as String) }
            .map { ($0["position"], try StoredDecision(row: $0, strings: &strings).json) }
        }
    }

    /// The files of a recorded rules version.
    package func rulesSnapshot(_ version: String) async throws -> [RuleSource]? {
        guard
            let text = try await pool.read({ db in
                try String.fetchOne(db, sql: "SELECT files FROM rules_snapshots WHERE version = ?", arguments: [version])
            })
        else { return nil }
        return try RuleSource.files(ofSnapshot: text, version: version)
    }
}

extension SQLiteStore {
    /// The rules version recorded last, if any.
    package func newestRulesVersion() async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT version FROM rules_versions ORDER BY id DESC LIMIT 1") }
    }

    /// Every recorded rules version, in the order they were first recorded.
    package func rulesVersions() async throws -> [RecordedRulesVersion] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT version, recorded_at FROM rules_versions ORDER BY id").map {
                RecordedRulesVersion(version: $0[0], recordedAt: Timestamp(epochSeconds: $0[1]))
            }
        }
    }

    /// The partner's own ledger entries that became payable from `from` until before `until`.
    package func statementEntries(ofPartner partner: String, from: Timestamp, until: Timestamp) async throws
        -> [StatementEntry]
    {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: StatementQuery.sql(greatest: "MAX", placeholders: ("?", "?", "?")),
                arguments: [partner, from.epochSeconds, until.epochSeconds]
            ).compactMap { row in
                StatementQuery.entry(
                    rule: try row.decode(atIndex: 0), currency: try row.decode(atIndex: 1), amount: try row.decode(atIndex: 2),
                    payableAt: try row.decode(atIndex: 3), version: try row.decode(atIndex: 4))
            }
        }
    }
}
