import Hummingbird

/// With a token configured, every `/v1` call needs `Authorization: Bearer …` (the admin token
/// is accepted too); admin-only routes need the admin token. Tokens compare in constant time.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?
    let adminToken: String?
    /// Paths (exact) that need the admin token.
    let adminPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/v1") else { return try await next(request, context) }
        let presented = Self.bearer(request.headers[.authorization])
        if adminPaths.contains(path) {
            guard token != nil || adminToken != nil else { return try await next(request, context) }
            guard let adminToken else {
                throw APIError(status: .forbidden, message: "no admin token is configured; this call is disabled")
            }
            guard let presented, Self.constantTimeEquals(presented, adminToken) else { throw Self.unauthorized }
            return try await next(request, context)
        }
        guard token != nil || adminToken != nil else { return try await next(request, context) }
        // Compare with every configured token (no short cut), then decide.
        guard let presented, [token, adminToken].compactMap({ $0 }).map({ Self.constantTimeEquals(presented, $0) }).contains(true)
        else { throw Self.unauthorized }
        return try await next(request, context)
    }

    static var unauthorized: APIError {
        APIError(status: .unauthorized, message: "missing or wrong bearer token", headers: [.wwwAuthenticate: "Bearer"])
    }

    static func bearer(_ header: String?) -> String? {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return nil }
        return String(header.dropFirst(7))
    }

    /// Compares without an early exit, so timing tells nothing about where a guess went wrong.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0 && left.count == right.count
    }
}
