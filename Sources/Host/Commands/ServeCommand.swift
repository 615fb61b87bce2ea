import ArgumentParser
import BuiltinPlugins
import Engine
import Foundation
import Logging
import Server
import Store

/// `cashback serve`: the 24/7 service — HTTP ingest into the durable queue, the master/slave
/// scheduler running continuously, queries, reload, health and metrics.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the service (SPEC §7).")

    @Option(help: "The rules directory.")
    var rules = "rules"

    @Option(help: ArgumentHelp(DatabaseArgument.help))
    var db = DatabaseArgument.defaultValue

    @Option(help: "HOST:PORT to listen on (port 0 picks a free one).")
    var listen = "127.0.0.1:8080"

    @Option(help: "Slave evaluators (default: the number of cores).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Most events per scheduler batch (small batches keep ingest commits waiting less for the writer).")
    var batchSize = 256

    @Option(
        help: """
            Evaluation state kept in memory across batches: about this many ids, payments and limit usages each, \
            and 16 times as many rows of accounts' history.
            """)
    var stateCache = 20_000

    @Option(
        help:
            "Seconds the database check may delay the start; a larger database is served at once and checked in the background."
    )
    var checkWithin = 1.0

    @Option(help: "File holding the bearer token every /v1 call needs (or CASHBACK_TOKEN).")
    var tokenFile: String?

    @Option(help: "File holding the admin token that reload needs (or CASHBACK_ADMIN_TOKEN).")
    var adminTokenFile: String?

    @Option(help: "Largest request body in bytes (larger: 413).")
    var maxBody = 16 << 20

    @Option(help: "Queue depth at which ingest answers 503 with Retry-After.")
    var maxQueue = 1_000_000

    @Option(help: "Seconds between confirmation sweeps of the ledger.")
    var confirmEvery = 60

    @Option(help: "Seconds a connection may stay idle, or take to send its request headers, before it is closed.")
    var idleTimeout = 60

    @Option(help: "Seconds a request may take to send its body once its headers arrived.")
    var bodyTimeout = 60

    @Option(help: "Most open connections; more wait in the listen backlog until one closes.")
    var maxConnections = 4096

    @Flag(help: "Allow listening beyond loopback without a token (anyone who reaches the port may post and reload).")
    var insecure = false

    func validate() throws {
        guard ServeCommand.address(listen) != nil else {
            throw ValidationError("--listen expects HOST:PORT, e.g. 127.0.0.1:8080")
        }
        guard checkWithin >= 0 else { throw ValidationError("--check-within must be at least 0") }
        guard workers >= 1, batchSize >= 1, stateCache >= 1, maxBody >= 1, maxQueue >= 1, confirmEvery >= 1, idleTimeout >= 1,
            bodyTimeout >= 1,
            maxConnections >= 1
        else {
            throw ValidationError(
                "--workers, --batch-size, --state-cache, --max-body, --max-queue, --confirm-every, --idle-timeout, --body-timeout and --max-connections must be positive"
            )
        }
    }

    static func address(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() async throws {
        let logger = Logger(label: "cashback.serve")
        do {
            try await serve(logger: logger)
        } catch {
            // One line that says why, then a non-zero exit (a busy port, an unresolvable host,
            // a database in use or damaged, a bad rules directory).
            logger.critical("the service cannot run: \(error)")
            throw ExitCode.failure
        }
    }

    private func serve(logger: Logger) async throws {
        let settings = try self.settings()
        if !settings.isLoopback && settings.token == nil && settings.adminToken == nil {
            guard insecure else {
                throw ValidationError(
                    "refusing to listen on \(listen) without a token: anyone who reaches it could post events and reload rules; give --token-file and --admin-token-file, or --insecure"
                )
            }
            logger.critical(
                "LISTENING BEYOND LOOPBACK WITHOUT A TOKEN (--insecure): anyone who reaches this port can post events and reload rules",
                metadata: ["server.listen": "\(listen)"])
        }
        let outcome = try RulesDirectory.loadOutcome(rules)
        // SQLite: one service per file (its lock), and its pages checked; PostgreSQL: any number
        // of hosts, one leading the scheduler at a time (`SchedulerService`).
        let lock = try DatabaseArgument.lockIfFile(db)
        let store = try DatabaseArgument.open(db, access: .readWrite, stateCache: stateCache)
        if let sqlite = store as? SQLiteStore {
            try await StartupCheck.run(sqlite, budget: .milliseconds(Int(checkWithin * 1000)), logger: logger)
        }
        try await store.recordRulesVersion(outcome.rules.version, files: outcome.sources, now: WallClock.now)
        let app = try await buildApplication(
            settings: settings, store: store, rules: outcome.rules, rulesDirectory: rules, registry: .builtin, logger: logger
        ) { port in
            // Tests and scripts that ask for port 0 read the real one from this line.
            FileHandle.standardOutput.write(Data("listening on \(settings.host):\(port)\n".utf8))
        }
        let depth = try await store.queueDepth()
        logger.notice(
            "starting",
            metadata: [
                "rules.version": "\(outcome.rules.version)", "db.path": "\(store.name)", "scheduler.workers": "\(workers)",
                "queue.depth": "\(depth)",
            ])
        try await app.runService()
        let left = (try? await store.queueDepth()).map(String.init) ?? "unknown"
        logger.notice("stopped cleanly", metadata: ["queue.depth": "\(left)"])
        withExtendedLifetime(lock) {}
    }

    /// The service's settings from the command line.
    private func settings() throws -> ServeSettings {
        guard let (host, port) = ServeCommand.address(listen) else { throw ValidationError("--listen expects HOST:PORT") }
        var settings = ServeSettings()
        settings.host = host
        settings.port = port
        settings.token = try ServeCommand.secret(file: tokenFile, environment: "CASHBACK_TOKEN")
        settings.adminToken = try ServeCommand.secret(file: adminTokenFile, environment: "CASHBACK_ADMIN_TOKEN")
        settings.maxBodyBytes = maxBody
        settings.maxQueue = maxQueue
        settings.workers = workers
        settings.batchSize = batchSize
        settings.confirmInterval = .seconds(confirmEvery)
        settings.idleTimeout = .seconds(idleTimeout)
        settings.bodyTimeout = .seconds(bodyTimeout)
        settings.maxConnections = maxConnections
        return settings
    }

    /// A token from a file (trimmed) or an environment variable; `nil` when neither is set.
    static func secret(file: String?, environment: String) throws -> String? {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read \(file)")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ValidationError("\(file) is empty") }
            return token
        }
        return ProcessInfo.processInfo.environment[environment].flatMap { $0.isEmpty ? nil : $0 }
    }
}
