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
            guard let presented = Tokens.bearer(request.headers[.authorization]), Tokens.matches(presented, accepted)
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
}
