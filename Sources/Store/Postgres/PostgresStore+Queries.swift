import Engine
import PostgresNIO

/// What the API and the read commands ask of a PostgreSQL store, as of `SQLiteStore`.
extension PostgresStore {
    /// The status of an event id, `nil` when the id was never accepted.
    package func status(ofEvent id: String) async throws -> EventStatus? {
        try await withSession { session in
            let rows = try session.rows(
                """
                SELECT d.status, d.json, d.trace, v.version FROM decisions d JOIN rules_versions v ON v.id = d.rules_version
                WHERE d.event_id = $1 ORDER BY d.position
                """, [.text(id)])
            let own = try rows.last { !["duplicate", "conflict"].contains(try $0.column(0, as: String.self)) }
            if let own {
                let stored = try PostgresStore.storedDecision(own, json: 1, trace: 2)
                if try own.column(0, as: String.self) == "orphan" { return .orphan(decision: stored.jsonWithTrace) }
                return .processed(decision: stored.jsonWithTrace, rulesVersion: try own.column(3))
            }
            if let dead = try session.rows(
                "SELECT error FROM dead WHERE event_id = $1 ORDER BY queue_seq DESC LIMIT 1", [.text(id)]
            ).first {
                return .dead(error: try dead.column(0))
            }
            let queued = try !session.rows(
                "SELECT 1 FROM queue WHERE event_id = $1 AND seq > (SELECT processed_through FROM progress) LIMIT 1",
                [.text(id)]
            ).isEmpty
            if queued { return .queued }
            if let first = rows.first {
                return .processed(
                    decision: try PostgresStore.storedDecision(first, json: 1, trace: 2).json, rulesVersion: try first.column(3))
            }
            return nil
        }
    }

    private static func storedDecision(_ row: PostgresRow, json: Int, trace: Int, paymentAmount: Int? = nil) throws
        -> StoredDecision
    {
        let amount = try paymentAmount.flatMap { try row.column($0, as: Int64?.self) }
        return StoredDecision(
            json: try row.column(json), trace: try row.column(trace, as: String?.self), paymentAmount: amount.map(Int.init))
    }

    /// An account's balances per currency and its most recent ledger lines.
    package func account(_ id: String, recent: Int) async throws -> (balances: [AccountBalance], lines: [LedgerLine]) {
        try await withSession { session in
            let balances = try session.rows(
                """
                SELECT currency,
                       COALESCE(SUM(CASE WHEN status = 'pending' THEN amount END), 0)::bigint,
                       COALESCE(SUM(CASE WHEN status = 'confirmed' THEN amount END), 0)::bigint
                FROM ledger WHERE account = $1 GROUP BY currency ORDER BY currency
                """, [.text(id)]
            ).map {
                AccountBalance(
                    currency: try $0.column(0), pending: Int(try $0.column(1, as: Int64.self)),
                    confirmed: Int(try $0.column(2, as: Int64.self)))
            }
            let lines = try session.rows(
                """
                SELECT l.event_id, l.partner, l.rule, l.currency, l.amount, l.status, l.occurred_at, v.version
                FROM ledger l JOIN rules_versions v ON v.id = l.rules_version
                WHERE l.account = $1 ORDER BY l.id DESC LIMIT $2
                """, [.text(id), .integer(recent)]
            ).map {
                LedgerLine(
                    eventID: try $0.column(0), partner: try $0.column(1), rule: try $0.column(2), currency: try $0.column(3),
                    amount: Int(try $0.column(4, as: Int64.self)), status: try $0.column(5), occurredAt: try $0.column(6),
                    rulesVersion: try $0.column(7))
            }
            return (balances, lines)
        }
    }

    /// The budget the partner's own lines used per day of processing, from `fromDay` on.
    package func budgetUse(ofPartner id: String, currency: String, fromDay: Int64) async throws -> [Int64: Int] {
        try await withSession { session in
            var use: [Int64: Int] = [:]
            for row in try session.rows(
                "SELECT day, budget_used FROM partner_days WHERE partner = $1 AND currency = $2 AND day >= $3",
                [.text(id), .text(currency), .integer(fromDay)])
            {
                use[try row.column(0)] = Int(try row.column(1, as: Int64.self))
            }
            return use
        }
    }

    /// A partner's figures per currency.
    package func stats(ofPartner id: String) async throws -> [PartnerStats] {
        try await withSession { session in
            try session.rows(
                """
                SELECT currency, \(PartnerTotals.columns.joined(separator: ", ")) FROM partner_totals
                WHERE partner = $1 ORDER BY currency
                """, [.text(id)]
            ).map { row in
                PartnerStats(
                    currency: try row.column(0),
                    stored: try PartnerTotals.columns.indices.map { Int(try row.column($0 + 1, as: Int64.self)) })
            }
        }
    }

    /// The credits feed's identity: 32 hex digits fixed when the database was created.
    package func feedID() async throws -> String {
        try await withSession { session in try session.rows("SELECT id FROM feed")[0].column(0) }
    }

    /// The credits feed after `cursor`, at most `limit` entries, in cursor order.
    package func credits(after cursor: Int64, limit: Int) async throws -> [Credit] {
        try await withSession { session in
            try session.rows(
                """
                SELECT c.cursor, c.kind, c.ledger_id, l.event_id, l.original_event_id, l.account, l.partner, l.rule,
                       l.currency, c.amount, c.due_at
                FROM credits c JOIN ledger l ON l.id = c.ledger_id
                WHERE c.cursor > $1 ORDER BY c.cursor LIMIT $2
                """, [.integer(cursor), .integer(limit)]
            ).map { row in
                guard let kind = Credit.Kind(rawValue: try row.column(1)) else {
                    throw PostgresStoreDataError("a credits feed entry has an unknown kind")
                }
                return Credit(
                    cursor: try row.column(0), kind: kind, ledgerLine: try row.column(2), eventID: try row.column(3),
                    originalID: try row.column(4), account: try row.column(5), partner: try row.column(6),
                    rule: try row.column(7), currency: try row.column(8), amount: Int(try row.column(9, as: Int64.self)),
                    dueAt: Timestamp(epochSeconds: try row.column(10)))
            }
        }
    }

    /// Calls `body` with every stored decision in processing order, a thousand rows at a time.
    /// Waits: call it off the event loops (a command's main task).
    package func forEachDecision(_ body: (StoredDecision) throws -> Void) throws {
        try pool.withSession { session in
            var after: Int64 = 0
            while true {
                let rows = try session.rows(
                    "SELECT position, json, trace, payment_amount FROM decisions WHERE position > $1 ORDER BY position LIMIT 1000",
                    [.integer(after)])
                for row in rows { try body(try PostgresStore.storedDecision(row, json: 1, trace: 2, paymentAmount: 3)) }
                guard let last = rows.last else { return }
                after = try last.column(0)
            }
        }
    }

    /// The stored decision of an event (its own, not a duplicate's): position and JSON.
    package func ownDecision(ofEvent id: String) async throws -> (position: Int64, json: String)? {
        try await withSession { session in
            try session.rows(
                "SELECT position, status, json FROM decisions WHERE event_id = $1 ORDER BY position", [.text(id)]
            )
            .last { !["duplicate", "conflict"].contains(try $0.column(1, as: String.self)) }
            .map { (try $0.column(0), try $0.column(2)) }
        }
    }

    /// Every processed queue entry (dead ones left out), in processing order, through the entry
    /// whose decisions include position `lastPosition`.
    package func processedEntries(throughDecision lastPosition: Int64) async throws -> [ProcessedEntry] {
        try await withSession { session in
            try session.rows(
                """
                SELECT q.seq, q.body, q.file, q.line, v.version FROM queue q
                JOIN LATERAL (SELECT position, rules_version FROM decisions d WHERE d.queue_seq = q.seq
                              ORDER BY position LIMIT 1) first ON TRUE
                JOIN rules_versions v ON v.id = first.rules_version
                WHERE q.seq <= (SELECT processed_through FROM progress) AND first.position <= $1
                ORDER BY q.seq
                """, [.integer(lastPosition)]
            ).map { ProcessedEntry(queued: try PostgresStore.queuedEvent(row: $0, columns: 4), rulesVersion: try $0.column(4)) }
        }
    }

    /// The files of a recorded rules version.
    package func rulesSnapshot(_ version: String) async throws -> [RuleSource]? {
        let text: String? = try await withSession { session in
            try session.rows("SELECT files FROM rules_snapshots WHERE version = $1", [.text(version)]).first?.column(0)
        }
        return try text.flatMap { try RuleSource.files(ofSnapshot: $0, version: version) }
    }

    /// The dead events, oldest first.
    package func deadEvents() async throws -> [DeadEvent] {
        try await withSession { session in
            try session.rows("SELECT queue_seq, event_id, error, attempts FROM dead ORDER BY queue_seq").map {
                DeadEvent(
                    sequence: try $0.column(0), eventID: try $0.column(1), error: try $0.column(2),
                    attempts: Int(try $0.column(3, as: Int64.self)))
            }
        }
    }

    /// Puts dead events back at the end of the queue (all of them when `sequences` is empty);
    /// returns how many.
    @discardableResult
    package func retryDead(_ sequences: [Int64] = [], now: Timestamp) async throws -> Int {
        try await withSession { session in
            try session.transaction {
                var last: Int64 = try session.rows("SELECT last_seq FROM queue_head WHERE only_row FOR UPDATE")[0].column(0)
                let dead = try session.rows("SELECT queue_seq FROM dead ORDER BY queue_seq").map {
                    try $0.column(0, as: Int64.self)
                }
                .filter { sequences.isEmpty || sequences.contains($0) }
                for sequence in dead {
                    last += 1
                    try session.execute(
                        """
                        INSERT INTO queue (seq, event_id, body, file, line, accepted_at)
                        SELECT $1, event_id, body, file, line, $2 FROM queue WHERE seq = $3
                        """, [.integer(last), .integer(now.epochSeconds), .integer(sequence)])
                    try session.execute("DELETE FROM dead WHERE queue_seq = $1", [.integer(sequence)])
                }
                try session.execute("UPDATE queue_head SET last_seq = $1 WHERE only_row", [.integer(last)])
                return dead.count
            }
        }
    }

    /// Whether the database takes writes now (for readiness): it answers and is not a standby
    /// in recovery. Nothing is written, so a host's readiness probe never waits for the
    /// leader's batch.
    package func isWritable() async -> Bool {
        (try? await withSession { session in
            try session.rows("SELECT NOT pg_is_in_recovery()").first?.column(0, as: Bool.self)
        }) == true
    }

    /// Why the store cannot take writes right now, when `error` says so: the database cannot be
    /// reached, or refuses writes (a standby, a full disk). Callers answer "retry later".
    package func transientUnavailability(of error: any Error) -> String? {
        if let error = error as? StoreError { return error.kind == .notLeader ? nil : "\(error)" }
        if error is PostgresStoreDataError { return nil }
        return "the database cannot take writes now: \(PostgresStore.describe(error))"
    }
}

extension PostgresStore {
    /// The rules version recorded last, if any.
    package func newestRulesVersion() async throws -> String? {
        try await withSession { session in
            try session.rows("SELECT version FROM rules_versions ORDER BY id DESC LIMIT 1").first?.column(0)
        }
    }

    /// Every recorded rules version, in the order they were first recorded.
    package func rulesVersions() async throws -> [RecordedRulesVersion] {
        try await withSession { session in
            try session.rows("SELECT version, recorded_at FROM rules_versions ORDER BY id").map {
                RecordedRulesVersion(version: try $0.column(0), recordedAt: Timestamp(epochSeconds: try $0.column(1)))
            }
        }
    }

    /// The partner's own ledger entries that became payable from `from` until before `until`.
    package func statementEntries(ofPartner partner: String, from: Timestamp, until: Timestamp) async throws
        -> [StatementEntry]
    {
        try await withSession { session in
            try session.rows(
                StatementQuery.sql(greatest: "GREATEST", placeholders: ("$1", "$2", "$3")),
                [.text(partner), .integer(from.epochSeconds), .integer(until.epochSeconds)]
            ).compactMap { row in
                StatementQuery.entry(
                    rule: try row.column(0), currency: try row.column(1), amount: Int(try row.column(2, as: Int64.self)),
                    payableAt: try row.column(3), version: try row.column(4))
            }
        }
    }
}
