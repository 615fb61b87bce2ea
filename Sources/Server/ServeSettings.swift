/// What `cashback serve` was told: where to listen, tokens, limits, timeouts, workers.
package struct ServeSettings: Sendable {
    package var host = "127.0.0.1"
    package var port = 8080
    package var token: String?
    package var adminToken: String?
    /// Largest accepted request body; larger → 413.
    package var maxBodyBytes = 16 << 20
    /// Queue depth at which ingest answers 503 with Retry-After.
    package var maxQueue = 1_000_000
    /// Slave evaluators.
    package var workers = 2
    /// Most events per scheduler batch (small batches keep ingest commits waiting less).
    package var batchSize = 256
    /// Time between confirmation sweeps of the ledger.
    package var confirmInterval = Duration.seconds(60)
    /// How long a connection may stay idle, or take to send its request headers.
    package var idleTimeout = Duration.seconds(60)
    /// How long a request may take to send its body once its headers arrived.
    package var bodyTimeout = Duration.seconds(60)
    /// Most open connections.
    package var maxConnections = 4096
    /// Most connections waiting to be accepted (the kernel caps it at `net.core.somaxconn`): a
    /// burst of new clients waits here instead of being refused and retrying a second later.
    package var listenBacklog = 4096

    package init() {}

    /// Whether the address is a loopback one.
    package var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }

    /// Who may call the `/v1` routes: holders of either token once one is configured.
    var apiAccess: RouteAccess {
        let tokens = [token, adminToken].compactMap { $0 }
        return tokens.isEmpty ? .open : .tokens(tokens)
    }

    /// Who may call the administration routes (reload): holders of the admin token.
    var adminAccess: RouteAccess {
        if let adminToken { return .tokens([adminToken]) }
        if token == nil { return .open }
        return .disabled(reason: "no admin token is configured; this call is disabled")
    }
}
