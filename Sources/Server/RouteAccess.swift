/// Who may call the routes of a group (see `BearerAuthMiddleware`).
enum RouteAccess: Sendable {
    /// No token is configured: anyone (the service listens on loopback only, or was told `--insecure`).
    case open
    /// A request must present one of these tokens.
    case tokens([String])
    /// The group needs a token that is not configured: every request is refused with 403.
    case disabled(reason: String)
}
