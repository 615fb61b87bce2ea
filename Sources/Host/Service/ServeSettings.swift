/// What `cashback serve` was told: where to listen, tokens, limits.
struct ServeSettings: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var token: String?
    var adminToken: String?
    /// Largest accepted request body; larger → 413.
    var maxBodyBytes = 16 << 20
    /// Queue depth at which ingest answers 503 with Retry-After.
    var maxQueue = 1_000_000

    /// Whether the address is a loopback one.
    var isLoopback: Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }

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
