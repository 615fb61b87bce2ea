import Hummingbird

/// Guards a route group with bearer tokens. It sits on the group, so it runs for every request
/// the router matched to one of the group's routes, however the path was spelled (`//v1/…`,
/// `/v1//…`, a trailing slash): the router's normalisation cannot route around it. Tokens
/// compare in constant time.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: RouteAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        switch access {
        case .open:
            return try await next(request, context)
        case .disabled(let reason):
            try await Self.discardBody(of: request)
            throw APIError(status: .forbidden, message: reason)
        case .tokens(let accepted):
            // Compare with every accepted token (no short cut), then decide.
            guard let presented = Self.bearer(request.headers[.authorization]),
                accepted.map({ Self.constantTimeEquals(presented, $0) }).contains(true)
            else {
                try await Self.discardBody(of: request)
                throw Self.unauthorized
            }
            return try await next(request, context)
        }
    }

    /// Reads a refused request's body to its end (up to 64 MiB, within the body timeout) before
    /// answering, so that a client that sends its whole body before reading gets the answer.
    static func discardBody(of request: Request) async throws {
        var received = 0
        for try await chunk in request.body {
            received += chunk.readableBytes
            if received > 64 << 20 { break }
        }
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
