import Engine
import Foundation
import GRDB
import Synchronization

/// The SQLite database of a cashback host: the durable queue, the evaluation state, decisions,
/// the ledger and the credits feed. WAL with `synchronous=FULL`: a commit that returned
/// survives a crash or power loss.
package final class SQLiteStore: Sendable {
    package let pool: DatabasePool
    /// The database file, as the user named it (errors quote it).
    package let path: String
    /// The evaluation state the scheduler read and wrote, kept across batches; only used while
    /// holding `stateLock`.
    let stateCache: StateCache
    /// The batch evaluated ahead (see `BatchStore`).
    package let pipeline = BatchPipeline()
    let stateLock = NSLock()
    /// The interned strings of packed decisions; only used by the writer.
    let strings = StringTable(capacity: 20_000)
    /// The background check's outcome, once it finished (see `startBackgroundCheck`).
    let backgroundCheck = Mutex<CheckOutcome?>(nil)
    /// How large the write-ahead log may grow before the scheduler restarts it (bytes).
    let logRestartBytes: Int

    /// How many seconds a statement waits for a lock another connection holds before failing.
    static let busyTimeoutSeconds = 10

    /// How a command opens the database.
    package enum Access {
        /// Creates the file if needed and migrates it (commands that write).
        case readWrite
        /// Opens an existing database without changing it, not even its schema (commands that
        /// only read; they work on a read-only copy).
        case readOnly
    }

    /// Opens the database at `path`. Every failure is a `StoreError` that names the file and says
    /// why: missing, not a database, damaged, or written by a newer release.
    ///
    /// `stateCacheEntries` bounds the evaluation state kept in memory across batches: about that
    /// many ids, payments and limit usages each, and 16 times as many rows of accounts' history
    /// (`StateCache`). `logRestartBytes` is how large the write-ahead log's file may grow before
    /// the scheduler restarts the log (`settleBetweenBatches`).
    package init(
        path: String, access: Access = .readWrite, stateCacheEntries: Int = 20_000, logRestartBytes: Int = 128 << 20
    ) throws {
        stateCache = StateCache(capacity: stateCacheEntries)
        self.logRestartBytes = logRestartBytes
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(SQLiteStore.busyTimeoutSeconds))
        configuration.readonly = access == .readOnly
        configuration.prepareDatabase { db in
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = FULL") }
            // 16 MiB of page cache per connection (the scheduler reads on one and writes on
            // another) and 32 MiB read through mmap: a batch touches pages all over the state
            // tables. Mapped pages count in the resident memory, and with the state cached across
            // batches 64 MiB of map was no faster than 32 and cost 40 MiB of RSS.
            try db.execute(sql: "PRAGMA cache_size = -16384")
            try db.execute(sql: "PRAGMA mmap_size = 33554432")
            // When the log restarts (`settleBetweenBatches`), its file is cut back to half its bound.
            try db.execute(sql: "PRAGMA journal_size_limit = \(logRestartBytes / 2)")
        }
        self.path = path
        if access == .readOnly, !FileManager.default.fileExists(atPath: path) {
            throw StoreError(.missing, path: path, "no such database")
        }
        do {
            pool = try SQLiteStore.openPool(path: path, access: access, configuration: configuration)
            switch access {
            case .readWrite:
                try SQLiteStore.migrator.migrate(pool)
            case .readOnly:
                try pool.read { db in
                    guard try SQLiteStore.migrator.hasCompletedMigrations(db) else {
                        throw StoreError(
                            .notCashback, path: path, "not a cashback database, or not yet upgraded (run a writing command once)")
                    }
                }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(.cannotOpen, path: path, "cannot open the database: \(error.message ?? "\(error.resultCode)")")
        }
        try SQLiteStore.refuseNewerRelease(pool, path: path)
    }

    /// A pool on the file. A WAL database on read-only storage (a mounted backup) cannot get its
    /// shared-memory file, so a read-only open that fails is retried as immutable (SQLite then
    /// reads the file as it is, which is what a copy on read-only media is).
    private static func openPool(path: String, access: Access, configuration: Configuration) throws -> DatabasePool {
        do {
            return try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError where access == .readOnly && error.resultCode == .SQLITE_CANTOPEN {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let escaped = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
            return try DatabasePool(path: "file:\(escaped)?immutable=1", configuration: configuration)
        }
    }

    /// Refuses a database that a newer release migrated further than this one knows.
    private static func refuseNewerRelease(_ pool: DatabasePool, path: String) throws {
        let superseded = try pool.read { db in try SQLiteStore.migrator.hasBeenSuperseded(db) }
        if superseded {
            throw StoreError(.newerRelease, path: path, "written by a newer release of cashback; use that release")
        }
    }

    /// Verifies every page of the database (`PRAGMA quick_check`; `integrity_check` when `full`);
    /// a damaged file is an error naming what SQLite found, before anything is read from it or
    /// acknowledged into it.
    package func check(full: Bool = false) throws {
        let findings: [String]
        do {
            findings = try pool.read { db in
                try String.fetchAll(db, sql: full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)")
            }
        } catch let error as DatabaseError {
            throw StoreError(.damaged, path: path, "the database is damaged: \(error.message ?? "\(error.resultCode)")")
        }
        guard findings == ["ok"] else {
            throw StoreError(
                .damaged, path: path,
                "the database is damaged (\(findings.prefix(3).joined(separator: "; "))); restore it from a backup")
        }
    }

    /// Named migrations; a shipped migration is never edited, only followed by new ones.
    package static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-25 queue, state, decisions, ledger") { db in
            try db.execute(
                sql: """
                    CREATE TABLE queue (
                      seq INTEGER PRIMARY KEY AUTOINCREMENT,
                      event_id TEXT NOT NULL,
                      body TEXT NOT NULL,
                      file TEXT,
                      line INTEGER,
                      accepted_at INTEGER NOT NULL
                    );
                    CREATE TABLE accepted (
                      event_id TEXT PRIMARY KEY,
                      fingerprint TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE progress (
                      id INTEGER PRIMARY KEY CHECK (id = 1),
                      processed_through INTEGER NOT NULL
                    );
                    INSERT INTO progress VALUES (1, 0);
                    CREATE TABLE rules_versions (
                      version TEXT PRIMARY KEY,
                      recorded_at INTEGER NOT NULL
                    ) WITHOUT ROWID;
                    -- Snapshots live apart: decisions and ledger lines check their version's row,
                    -- which must stay small (a snapshot of 1,000 partner files is hundreds of KB).
                    CREATE TABLE rules_snapshots (
                      version TEXT PRIMARY KEY REFERENCES rules_versions(version),
                      files TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE decisions (
                      position INTEGER PRIMARY KEY AUTOINCREMENT,
                      queue_seq INTEGER NOT NULL REFERENCES queue(seq),
                      event_id TEXT,
                      status TEXT NOT NULL,
                      partner TEXT,
                      currency TEXT,
                      json TEXT NOT NULL,
                      trace TEXT,
                      payment_amount INTEGER,
                      rules_version TEXT NOT NULL REFERENCES rules_versions(version),
                      processed_at INTEGER NOT NULL
                    );
                    CREATE INDEX decisions_partner ON decisions(partner, currency) WHERE partner IS NOT NULL;
                    CREATE INDEX decisions_event ON decisions(event_id);
                    CREATE TABLE dead (
                      queue_seq INTEGER PRIMARY KEY REFERENCES queue(seq),
                      event_id TEXT NOT NULL,
                      error TEXT NOT NULL,
                      attempts INTEGER NOT NULL,
                      failed_at INTEGER NOT NULL
                    );
                    CREATE TABLE seen (
                      event_id TEXT PRIMARY KEY,
                      kind TEXT NOT NULL,
                      fingerprint TEXT NOT NULL
                    ) WITHOUT ROWID;
                    CREATE TABLE payments (
                      id INTEGER PRIMARY KEY,
                      event_id TEXT NOT NULL UNIQUE,
                      record TEXT NOT NULL
                    );
                    CREATE TABLE usage (
                      limit_id TEXT NOT NULL,
                      account TEXT NOT NULL,
                      period TEXT NOT NULL,
                      period_index INTEGER NOT NULL,
                      amount INTEGER NOT NULL,
                      count INTEGER NOT NULL,
                      PRIMARY KEY (limit_id, account, period, period_index)
                    ) WITHOUT ROWID;
                    CREATE TABLE purchases (
                      account TEXT NOT NULL,
                      partner TEXT NOT NULL,
                      count INTEGER NOT NULL,
                      PRIMARY KEY (account, partner)
                    ) WITHOUT ROWID;
                    CREATE TABLE spend (
                      account TEXT NOT NULL,
                      partner TEXT NOT NULL,
                      currency TEXT NOT NULL,
                      day INTEGER NOT NULL,
                      amount INTEGER NOT NULL,
                      PRIMARY KEY (account, partner, currency, day)
                    ) WITHOUT ROWID;
                    CREATE TABLE orphans (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      original_id TEXT NOT NULL,
                      event_id TEXT NOT NULL,
                      queue_seq INTEGER NOT NULL REFERENCES queue(seq)
                    );
                    CREATE INDEX orphans_original ON orphans(original_id);
                    CREATE TABLE ledger (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      decision_position INTEGER NOT NULL REFERENCES decisions(position),
                      event_id TEXT NOT NULL,
                      account TEXT NOT NULL,
                      partner TEXT,
                      rule TEXT NOT NULL,
                      currency TEXT NOT NULL,
                      amount INTEGER NOT NULL CHECK (amount != 0),
                      occurred_at INTEGER NOT NULL,
                      confirm_at INTEGER NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
                      rules_version TEXT NOT NULL REFERENCES rules_versions(version)
                    );
                    CREATE INDEX ledger_pending ON ledger(confirm_at) WHERE status = 'pending';
                    CREATE INDEX ledger_account ON ledger(account, id);
                    CREATE INDEX ledger_partner_rule ON ledger(partner, rule);
                    CREATE TABLE credits (
                      cursor INTEGER PRIMARY KEY AUTOINCREMENT,
                      ledger_id INTEGER NOT NULL UNIQUE REFERENCES ledger(id)
                    );
                    """)
        }
        migrator.registerMigration("2026-12-02 credits feed identity") { db in
            // A value fixed when the database is created (or first opened by this release), so
            // that a consumer of the credits feed notices a restored or different database.
            try db.execute(
                sql: """
                    CREATE TABLE feed (
                      only INTEGER PRIMARY KEY CHECK (only = 1),
                      id TEXT NOT NULL
                    );
                    INSERT INTO feed (only, id) VALUES (1, lower(hex(randomblob(16))));
                    """)
        }
        migrator.registerMigration("2026-12-02 ledger netting and feed entries") { db in
            // SPEC §4.3: a clawback of a pending line reduces that line; a clawback of a
            // confirmed one is a debit due at once. Feed entries carry their own kind, amount
            // and due time. Lines written before are carried over: a clawback names its
            // original payment (from its queued body), pending clawbacks of pending lines net
            // them, and pending clawbacks of confirmed lines fall due when they were processed.
            try db.execute(
                sql: """
                    ALTER TABLE ledger ADD COLUMN original_event_id TEXT;
                    ALTER TABLE ledger ADD COLUMN nets_ledger_id INTEGER REFERENCES ledger(id);
                    ALTER TABLE credits ADD COLUMN kind TEXT CHECK (kind IN ('credit', 'debit'));
                    ALTER TABLE credits ADD COLUMN amount INTEGER;
                    ALTER TABLE credits ADD COLUMN due_at INTEGER;
                    CREATE INDEX ledger_event_rule ON ledger(event_id, rule);
                    CREATE INDEX ledger_nets ON ledger(nets_ledger_id) WHERE nets_ledger_id IS NOT NULL;
                    UPDATE credits SET
                      amount = (SELECT amount FROM ledger WHERE id = credits.ledger_id),
                      due_at = (SELECT confirm_at FROM ledger WHERE id = credits.ledger_id);
                    UPDATE credits SET kind = CASE WHEN amount > 0 THEN 'credit' ELSE 'debit' END;
                    UPDATE ledger SET original_event_id = (
                      SELECT json_extract(q.body, '$.original_id')
                      FROM decisions d JOIN queue q ON q.seq = d.queue_seq
                      WHERE d.position = ledger.decision_position)
                    WHERE amount < 0;
                    UPDATE ledger SET nets_ledger_id = (
                      SELECT o.id FROM ledger o
                      WHERE o.event_id = ledger.original_event_id AND o.rule = ledger.rule AND o.amount > 0
                        AND o.status = 'pending')
                    WHERE amount < 0 AND status = 'pending';
                    UPDATE ledger SET confirm_at = (SELECT o.confirm_at FROM ledger o WHERE o.id = ledger.nets_ledger_id)
                    WHERE nets_ledger_id IS NOT NULL;
                    UPDATE ledger SET confirm_at = MIN(confirm_at, (
                      SELECT processed_at FROM decisions WHERE position = ledger.decision_position))
                    WHERE amount < 0 AND status = 'pending' AND nets_ledger_id IS NULL;
                    """)
        }
        migrator.registerMigration("2026-12-02 packed decisions") { db in
            // Decisions are stored packed (PackedJSON): their JSON line and trace in one BLOB
            // whose keys and short strings refer to `strings`. Rows written before keep their
            // text in `json` and `trace`.
            try db.execute(
                sql: """
                    CREATE TABLE strings (
                      id INTEGER PRIMARY KEY,
                      text TEXT NOT NULL UNIQUE
                    );
                    ALTER TABLE decisions ADD COLUMN packed BLOB;
                    """)
        }
        migrator.registerMigration("2026-12-02 one row per event id") { db in
            // `seen` repeated `accepted`'s ids and fingerprints: evaluation now marks the id's
            // accepted row seen, with the kind of event it recorded.
            try db.execute(
                sql: """
                    ALTER TABLE accepted ADD COLUMN seen_kind TEXT;
                    INSERT INTO accepted (event_id, fingerprint, seen_kind) SELECT event_id, fingerprint, kind FROM seen WHERE true
                    ON CONFLICT (event_id) DO UPDATE SET seen_kind = excluded.seen_kind;
                    DROP TABLE seen;
                    """)
        }
        migrator.registerMigration("2026-12-06 compact rows and partner totals") { db in
            // Each decision and ledger line named its rules version by its 64-character text,
            // and each accepted id kept its fingerprint's canonical text (~70 bytes): versions
            // are now numbered and referred to by number, fingerprints stored as their SHA-256
            // digest (32 bytes). Decisions written packed no longer carry an empty `json`. A
            // partner's statistics are kept as running totals (`partner_totals`, written with
            // each batch) instead of two indexes over every decision and ledger line; a
            // clawback finds its payment's lines through the account's.
            try db.execute(
                sql: """
                    CREATE TABLE numbered_versions (
                      id INTEGER PRIMARY KEY,
                      version TEXT NOT NULL UNIQUE,
                      recorded_at INTEGER NOT NULL
                    );
                    INSERT INTO numbered_versions (version, recorded_at)
                      SELECT version, recorded_at FROM rules_versions ORDER BY recorded_at, version;
                    CREATE TABLE numbered_decisions (
                      position INTEGER PRIMARY KEY AUTOINCREMENT,
                      queue_seq INTEGER NOT NULL REFERENCES queue(seq),
                      event_id TEXT,
                      status TEXT NOT NULL,
                      partner TEXT,
                      currency TEXT,
                      json TEXT,
                      trace TEXT,
                      packed BLOB,
                      payment_amount INTEGER,
                      rules_version INTEGER NOT NULL REFERENCES rules_versions(id),
                      processed_at INTEGER NOT NULL
                    );
                    INSERT INTO numbered_decisions
                      SELECT d.position, d.queue_seq, d.event_id, d.status, d.partner, d.currency,
                             CASE WHEN d.packed IS NULL THEN d.json END, d.trace, d.packed, d.payment_amount, v.id,
                             d.processed_at
                      FROM decisions d JOIN numbered_versions v ON v.version = d.rules_version ORDER BY d.position;
                    CREATE TABLE numbered_ledger (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      decision_position INTEGER NOT NULL REFERENCES decisions(position),
                      event_id TEXT NOT NULL,
                      account TEXT NOT NULL,
                      partner TEXT,
                      rule TEXT NOT NULL,
                      currency TEXT NOT NULL,
                      amount INTEGER NOT NULL CHECK (amount != 0),
                      occurred_at INTEGER NOT NULL,
                      confirm_at INTEGER NOT NULL,
                      status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed')),
                      rules_version INTEGER NOT NULL REFERENCES rules_versions(id),
                      original_event_id TEXT,
                      nets_ledger_id INTEGER REFERENCES ledger(id)
                    );
                    INSERT INTO numbered_ledger
                      SELECT l.id, l.decision_position, l.event_id, l.account, l.partner, l.rule, l.currency, l.amount,
                             l.occurred_at, l.confirm_at, l.status, v.id, l.original_event_id, l.nets_ledger_id
                      FROM ledger l JOIN numbered_versions v ON v.version = l.rules_version ORDER BY l.id;
                    CREATE TABLE digested_accepted (
                      event_id TEXT PRIMARY KEY,
                      fingerprint BLOB NOT NULL,
                      seen_kind TEXT
                    ) WITHOUT ROWID;
                    """)
            let accepted = try Row.fetchCursor(db, sql: "SELECT event_id, fingerprint, seen_kind FROM accepted")
            let insert = try db.makeStatement(
                sql: "INSERT INTO digested_accepted (event_id, fingerprint, seen_kind) VALUES (?, ?, ?)")
            while let row = try accepted.next() {
                let text: String = try row.decode(forColumn: "fingerprint")
                try insert.execute(arguments: [
                    row["event_id"], Fingerprint(canonicalText: text).stored, row["seen_kind"],
                ])
            }
            try db.execute(
                sql: """
                    DROP TABLE accepted;
                    ALTER TABLE digested_accepted RENAME TO accepted;
                    DROP TABLE ledger;
                    ALTER TABLE numbered_ledger RENAME TO ledger;
                    CREATE INDEX ledger_pending ON ledger(confirm_at) WHERE status = 'pending';
                    CREATE INDEX ledger_account ON ledger(account, id);
                    CREATE INDEX ledger_nets ON ledger(nets_ledger_id) WHERE nets_ledger_id IS NOT NULL;
                    DROP TABLE decisions;
                    ALTER TABLE numbered_decisions RENAME TO decisions;
                    CREATE INDEX decisions_event ON decisions(event_id);
                    CREATE TABLE partner_totals (
                      partner TEXT NOT NULL,
                      currency TEXT NOT NULL,
                      payments INTEGER NOT NULL DEFAULT 0,
                      rewarded INTEGER NOT NULL DEFAULT 0,
                      spend INTEGER NOT NULL DEFAULT 0,
                      cashback INTEGER NOT NULL DEFAULT 0,
                      clawbacks INTEGER NOT NULL DEFAULT 0,
                      PRIMARY KEY (partner, currency)
                    ) WITHOUT ROWID;
                    INSERT INTO partner_totals (partner, currency, payments, rewarded, spend)
                      SELECT partner, currency, COUNT(*), SUM(status = 'rewarded'), SUM(payment_amount) FROM decisions
                      WHERE partner IS NOT NULL AND payment_amount IS NOT NULL GROUP BY partner, currency;
                    INSERT INTO partner_totals (partner, currency, cashback, clawbacks)
                      SELECT partner, currency, COALESCE(SUM(CASE WHEN amount > 0 THEN amount END), 0),
                             COALESCE(SUM(CASE WHEN amount < 0 THEN amount END), 0)
                      FROM ledger WHERE partner IS NOT NULL AND substr(rule, 1, length(partner) + 1) = partner || '/'
                      GROUP BY partner, currency
                      ON CONFLICT (partner, currency) DO UPDATE SET cashback = excluded.cashback, clawbacks = excluded.clawbacks;
                    DROP TABLE rules_versions;
                    ALTER TABLE numbered_versions RENAME TO rules_versions;
                    """)
        }
        migrator.registerMigration("2026-12-06 usage by account") { db in
            // Usage was keyed by limit first: each key a batch met was one query. Keyed by
            // account first, an account's usage is read with its history, in the batch's few
            // queries (`per: all` usage, whose account is '', stays one query per key).
            try db.execute(
                sql: """
                    CREATE TABLE usage_by_account (
                      limit_id TEXT NOT NULL,
                      account TEXT NOT NULL,
                      period TEXT NOT NULL,
                      period_index INTEGER NOT NULL,
                      amount INTEGER NOT NULL,
                      count INTEGER NOT NULL,
                      PRIMARY KEY (account, limit_id, period, period_index)
                    ) WITHOUT ROWID;
                    INSERT INTO usage_by_account SELECT limit_id, account, period, period_index, amount, count FROM usage;
                    DROP TABLE usage;
                    ALTER TABLE usage_by_account RENAME TO usage;
                    """)
        }
        migrator.registerMigration("2026-12-06 account histories") { db in
            // An account's purchase counts, spend days and usages were rows of three tables: a
            // batch upserted about 3.4 rows per payment, each on its own page. One packed row per
            // account is read in one lookup and written in one upsert.
            try db.execute(
                sql: "CREATE TABLE histories (account TEXT PRIMARY KEY NOT NULL, history BLOB NOT NULL) WITHOUT ROWID")
            try AccountHistory.migrateRows(in: db)
            try db.execute(
                sql: """
                    DROP TABLE purchases;
                    DROP TABLE spend;
                    DELETE FROM usage WHERE account <> '';
                    """)
        }
        migrator.registerMigration("2026-12-06 queue first of an id") { db in
            // Whether enqueue accepted the id for the first time (1) or as a duplicate (0); NULL
            // when not known (rows queued before, or again by `dead --retry`). An event first of
            // its id was not evaluated before: its batch need not look its id up.
            try db.execute(sql: "ALTER TABLE queue ADD COLUMN first_of_id INTEGER")
        }
        migrator.registerMigration("2026-12-06 partner totals funded by the bank") { db in
            // SPEC 5.1's figures: besides its own rules' lines, a partner's statistics count the
            // programme's lines on its payments (the bank funds them) and their clawbacks.
            try db.execute(
                sql: """
                    ALTER TABLE partner_totals ADD COLUMN bank_cashback INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE partner_totals ADD COLUMN bank_clawbacks INTEGER NOT NULL DEFAULT 0;
                    UPDATE partner_totals SET bank_cashback = bank.cashback, bank_clawbacks = bank.clawbacks
                    FROM (
                      SELECT partner, currency, SUM(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS cashback,
                             SUM(CASE WHEN amount < 0 THEN amount ELSE 0 END) AS clawbacks
                      FROM ledger WHERE partner IS NOT NULL AND substr(rule, 1, length(partner) + 1) <> partner || '/'
                      GROUP BY partner, currency) AS bank
                    WHERE bank.partner = partner_totals.partner AND bank.currency = partner_totals.currency
                    """)
        }
        migrator.registerMigration("2026-12-06 partner budget by day") { db in
            // The budget each partner's own lines used, net of clawbacks, per day of processing
            // (UTC days since 1970): the burn rate over the last 7 and 30 days and the date the
            // budget runs out at that pace (issue #14), without reading the ledger.
            try db.execute(
                sql: """
                    CREATE TABLE partner_days (
                      partner TEXT NOT NULL,
                      currency TEXT NOT NULL,
                      day INTEGER NOT NULL,
                      budget_used INTEGER NOT NULL DEFAULT 0,
                      PRIMARY KEY (partner, currency, day)
                    ) WITHOUT ROWID;
                    INSERT INTO partner_days (partner, currency, day, budget_used)
                      SELECT ledger.partner, ledger.currency, decisions.processed_at / 86400, SUM(ledger.amount)
                      FROM ledger JOIN decisions ON decisions.position = ledger.decision_position
                      WHERE ledger.partner IS NOT NULL AND substr(ledger.rule, 1, length(ledger.partner) + 1) = ledger.partner || '/'
                      GROUP BY ledger.partner, ledger.currency, decisions.processed_at / 86400
                    """)
        }
        return migrator
    }
}

extension SQLiteStore {
    /// Runs `body` on the evaluation state inside one write transaction, committed when it
    /// returns (the store-conformance tests read in a second one what the first wrote).
    package func inStateTransaction<T>(_ body: (any EvaluationState) throws -> T) throws -> T {
        try stateLock.withLock {
            let (result, changes) = try pool.read { db in
                let state = BatchState(cache: stateCache, reader: SQLiteStateReader(db: db, cache: stateCache))
                return (try body(state), state.changes)
            }
            try pool.write { db in try changes.write(to: db) }
            stateCache.merge(changes)
            return result
        }
    }
}
