import BuiltinPlugins
import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server
import Store

/// The service's application run in this process with HummingbirdTesting: the same routes and
/// services as `cashback serve`, no socket and no binary.
struct InProcessService: ServiceClient {
    let client: any TestClientProtocol

    /// Opens (creating) the database `database` (a SQLite path or a PostgreSQL URL), loads
    /// `rules` (absolute) and runs `body` against the application; the services stop
    /// gracefully when it returns.
    static func run(
        database: String, rules: String, settings: ServeSettings,
        _ body: @escaping @Sendable (InProcessService) async throws -> Void
    ) async throws {
        let outcome = RuleLoader(registry: .builtin).load(directory: rules)
        guard let ruleSet = outcome.rules else { throw RuleLoadFailed(diagnostics: outcome.diagnostics.map(\.description)) }
        let postgres = try PostgresLocation(url: database).map { try PostgresStore(location: $0) }
        defer { postgres?.close() }
        let store: any Storage = try postgres ?? SQLiteStore(path: database)
        try await store.recordRulesVersion(ruleSet.version, files: outcome.sources, now: WallClock.now)
        let app = try await buildApplication(
            settings: settings, store: store, rules: ruleSet, rulesDirectory: rules, registry: .builtin,
            logger: Logger(label: "test"))
        try await app.test(.router) { client in try await body(InProcessService(client: client)) }
    }

    struct RuleLoadFailed: Error {
        let diagnostics: [String]
    }

    func request(_ method: String, _ path: String, body: String?, token: String?, contentType: String) async throws
        -> RunningService.Reply
    {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = contentType }
        let response = try await client.execute(
            uri: path, method: HTTPRequest.Method(method) ?? .get, headers: headers, body: body.map { ByteBuffer(string: $0) })
        var fields: [AnyHashable: Any] = [:]
        for field in response.headers { fields[field.name.canonicalName] = field.value }
        return RunningService.Reply(status: Int(response.status.code), body: String(buffer: response.body), headers: fields)
    }
}
