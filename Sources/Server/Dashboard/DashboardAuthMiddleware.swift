import Engine
import Hummingbird
import Reports
import Store

/// Guards the dashboard's pages with the API's tokens: a request passes with one of them as a
/// bearer header, or with a session cookie opened by one (`DashboardSession`). A browser that
/// has neither is sent to the sign-in page, which brings it back to the page it asked for.
struct DashboardAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let access: RouteAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        switch access {
        case .open:
            return try await next(request, context)
        case .disabled(let reason):
            throw APIError(status: .forbidden, message: reason)
        case .tokens(let accepted):
            if let presented = Tokens.bearer(request.headers[.authorization]), Tokens.matches(presented, accepted) {
                return try await next(request, context)
            }
            if let session = request.cookies[DashboardSession.cookieName]?.value,
                DashboardSession.isValid(session, tokens: accepted, now: WallClock.now)
            {
                return try await next(request, context)
            }
            guard request.method == .get || request.method == .head else { throw BearerAuthMiddleware<Context>.unauthorized }
            var headers = DashboardPage.headers
            headers[.location] = DashboardLogin.signInPath(returningTo: request.uri.description)
            return Response(status: .seeOther, headers: headers)
        }
    }
}
