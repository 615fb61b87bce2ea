/// The PostgreSQL schema as named migrations, applied in order and recorded in
/// `schema_migrations`. A shipped migration is never edited, only followed by new ones; a
/// database that lists a migration this release does not know was written by a newer one.
extension PostgresStore {
    /// One named step: statements run in one transaction.
    struct Migration {
        let name: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(
            name: "2026-12-06 queue, state, decisions, ledger, leadership",
            statements: [
                // Queue positions are handed out under this row's lock, held until the enqueue
                // commits: positions follow commit order, so an event acknowledged before another
                // was sent is before it in the queue, whichever host took it.
                "CREATE TABLE queue_head (only_row BOOLEAN PRIMARY KEY CHECK (only_row), last_seq BIGINT NOT NULL)",
                "INSERT INTO queue_head VALUES (TRUE, 0)",
                """
                CREATE TABLE queue (
                  seq BIGINT PRIMARY KEY, event_id TEXT NOT NULL, body BYTEA NOT NULL, file TEXT, line BIGINT,
                  accepted_at BIGINT NOT NULL, first_of_id BIGINT)
                """,
                "CREATE INDEX queue_event ON queue (event_id)",
                "CREATE TABLE accepted (event_id TEXT PRIMARY KEY, fingerprint BYTEA NOT NULL, seen_kind TEXT)",
                "CREATE TABLE progress (only_row BOOLEAN PRIMARY KEY CHECK (only_row), processed_through BIGINT NOT NULL)",
                "INSERT INTO progress VALUES (TRUE, 0)",
                "CREATE TABLE rules_versions (id BIGSERIAL PRIMARY KEY, version TEXT NOT NULL UNIQUE, recorded_at BIGINT NOT NULL)",
                "CREATE TABLE rules_snapshots (version TEXT PRIMARY KEY REFERENCES rules_versions (version), files TEXT NOT NULL)",
                """
                CREATE TABLE decisions (
                  position BIGINT PRIMARY KEY, queue_seq BIGINT NOT NULL REFERENCES queue (seq), event_id TEXT,
                  status TEXT NOT NULL, partner TEXT, currency TEXT, json TEXT NOT NULL, trace TEXT, payment_amount BIGINT,
                  rules_version BIGINT NOT NULL REFERENCES rules_versions (id), processed_at BIGINT NOT NULL)
                """,
                "CREATE INDEX decisions_event ON decisions (event_id)",
                """
                CREATE TABLE dead (
                  queue_seq BIGINT PRIMARY KEY REFERENCES queue (seq), event_id TEXT NOT NULL, error TEXT NOT NULL,
                  attempts BIGINT NOT NULL, failed_at BIGINT NOT NULL)
                """,
                "CREATE INDEX dead_event ON dead (event_id)",
                "CREATE TABLE payments (event_id TEXT PRIMARY KEY, record BYTEA NOT NULL)",
                """
                CREATE TABLE usage (
                  limit_id TEXT NOT NULL, account TEXT NOT NULL, period TEXT NOT NULL, period_index BIGINT NOT NULL,
                  amount BIGINT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (limit_id, account, period, period_index))
                """,
                "CREATE TABLE histories (account TEXT PRIMARY KEY, history BYTEA NOT NULL)",
                """
                CREATE TABLE orphans (
                  id BIGSERIAL PRIMARY KEY, original_id TEXT NOT NULL, event_id TEXT NOT NULL,
                  queue_seq BIGINT NOT NULL REFERENCES queue (seq))
                """,
                "CREATE INDEX orphans_original ON orphans (original_id)",
                """
                CREATE TABLE ledger (
                  id BIGINT PRIMARY KEY, decision_position BIGINT NOT NULL REFERENCES decisions (position),
                  event_id TEXT NOT NULL, account TEXT NOT NULL, partner TEXT, rule TEXT NOT NULL, currency TEXT NOT NULL,
                  amount BIGINT NOT NULL CHECK (amount <> 0), occurred_at BIGINT NOT NULL, confirm_at BIGINT NOT NULL,
                  status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
                  rules_version BIGINT NOT NULL REFERENCES rules_versions (id), original_event_id TEXT,
                  nets_ledger_id BIGINT REFERENCES ledger (id))
                """,
                "CREATE INDEX ledger_pending ON ledger (confirm_at) WHERE status = 'pending'",
                "CREATE INDEX ledger_account ON ledger (account, id)",
                "CREATE INDEX ledger_nets ON ledger (nets_ledger_id) WHERE nets_ledger_id IS NOT NULL",
                // Cursors are numbered by the leader inside its transaction, one after another:
                // the feed has no gap, whatever rolled back.
                """
                CREATE TABLE credits (
                  cursor BIGINT PRIMARY KEY, ledger_id BIGINT NOT NULL UNIQUE REFERENCES ledger (id),
                  kind TEXT NOT NULL CHECK (kind IN ('credit', 'debit')), amount BIGINT NOT NULL, due_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE partner_totals (
                  partner TEXT NOT NULL, currency TEXT NOT NULL, payments BIGINT NOT NULL DEFAULT 0,
                  rewarded BIGINT NOT NULL DEFAULT 0, spend BIGINT NOT NULL DEFAULT 0, cashback BIGINT NOT NULL DEFAULT 0,
                  clawbacks BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (partner, currency))
                """,
                "CREATE TABLE feed (only_row BOOLEAN PRIMARY KEY CHECK (only_row), id TEXT NOT NULL)",
                "INSERT INTO feed VALUES (TRUE, replace(gen_random_uuid()::text, '-', ''))",
                // The scheduler's lease: who leads, until when (the database's clock), and the
                // fencing token every batch transaction checks.
                """
                CREATE TABLE leadership (
                  only_row BOOLEAN PRIMARY KEY CHECK (only_row), token BIGINT NOT NULL, holder TEXT,
                  expires_at TIMESTAMPTZ)
                """,
                "INSERT INTO leadership VALUES (TRUE, 0, NULL, NULL)",
            ]),
        Migration(
            // SPEC 5.1's figures: besides its own rules' lines, a partner's statistics count the
            // programme's lines on its payments (the bank funds them) and their clawbacks.
            name: "2026-12-06 partner totals funded by the bank",
            statements: [
                "ALTER TABLE partner_totals ADD COLUMN bank_cashback BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE partner_totals ADD COLUMN bank_clawbacks BIGINT NOT NULL DEFAULT 0",
                """
                UPDATE partner_totals SET bank_cashback = bank.cashback, bank_clawbacks = bank.clawbacks
                FROM (
                  SELECT partner, currency, SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS cashback,
                         SUM(CASE WHEN amount < 0 THEN amount ELSE 0 END) AS clawbacks
                  FROM ledger WHERE partner IS NOT NULL AND substr(rule, 1, length(partner) + 1) <> partner || '/'
                  GROUP BY partner, currency) AS bank
                WHERE bank.partner = partner_totals.partner AND bank.currency = partner_totals.currency
                """,
            ]),
        Migration(
            // The budget each partner's own lines used, net of clawbacks, per day of processing
            // (UTC days since 1970): the burn rate over the last 7 and 30 days and the date the
            // budget runs out at that pace (issue #14), without reading the ledger.
            name: "2026-12-06 partner budget by day",
            statements: [
                """
                CREATE TABLE partner_days (
                  partner TEXT NOT NULL, currency TEXT NOT NULL, day BIGINT NOT NULL, budget_used BIGINT NOT NULL DEFAULT 0,
                  PRIMARY KEY (partner, currency, day))
                """,
                """
                INSERT INTO partner_days (partner, currency, day, budget_used)
                  SELECT ledger.partner, ledger.currency, decisions.processed_at / 86400, SUM(ledger.amount)
                  FROM ledger JOIN decisions ON decisions.position = ledger.decision_position
                  WHERE ledger.partner IS NOT NULL AND substr(ledger.rule, 1, length(ledger.partner) + 1) = ledger.partner || '/'
                  GROUP BY ledger.partner, ledger.currency, decisions.processed_at / 86400
                """,
            ]),
    ]

    /// A lock key no other application is likely to use, held while migrating: hosts starting
    /// together migrate one after the other.
    private static let migrationLockKey: Int64 = 0x6361_7368_6261_636B

    /// Applies the migrations `session`'s database lacks; refuses one a newer release migrated.
    static func migrate(_ session: PostgresSession, name: String) throws {
        try session.execute("SELECT pg_advisory_lock($1)", [.integer(migrationLockKey)])
        defer { _ = try? session.execute("SELECT pg_advisory_unlock($1)", [.integer(migrationLockKey)]) }
        try session.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        let applied = try appliedMigrations(session)
        try refuseNewerRelease(applied, name: name)
        for migration in migrations where !applied.contains(migration.name) {
            try session.transaction {
                for statement in migration.statements { try session.execute(statement) }
                try session.execute("INSERT INTO schema_migrations (name) VALUES ($1)", [.text(migration.name)])
            }
        }
    }

    /// Checks, without changing anything, that the database is a cashback database this release
    /// reads.
    static func checkSchema(_ session: PostgresSession, name: String) throws {
        let exists = try session.rows("SELECT to_regclass('schema_migrations') IS NOT NULL")[0].column(0, as: Bool.self)
        let applied = exists ? try appliedMigrations(session) : []
        try refuseNewerRelease(applied, name: name)
        guard migrations.allSatisfy({ applied.contains($0.name) }) else {
            throw StoreError(
                .notCashback, path: name, "not a cashback database, or not yet upgraded (run a writing command once)")
        }
    }

    private static func appliedMigrations(_ session: PostgresSession) throws -> Set<String> {
        Set(try session.rows("SELECT name FROM schema_migrations").map { try $0.column(0, as: String.self) })
    }

    private static func refuseNewerRelease(_ applied: Set<String>, name: String) throws {
        guard applied.isSubset(of: Set(migrations.map(\.name))) else {
            throw StoreError(.newerRelease, path: name, "written by a newer release of cashback; use that release")
        }
    }
}
