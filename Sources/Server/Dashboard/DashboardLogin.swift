import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Reports
import Store

/// The dashboard's sign-in page and its sign-out: a person gives the API token once and gets a
/// session (`DashboardSession`), then is brought back to the page they asked for.
struct DashboardLogin: Sendable {
    let access: RouteAccess

    /// The sign-in page's path, bringing the browser back to `path` afterwards.
    static func signInPath(returningTo path: String) -> String {
        "/dashboard/login?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    /// `next` when it is a dashboard page of this service, else the dashboard's first page: a
    /// sign-in never sends a browser to another site.
    static func returnPath(_ next: String?) -> String {
        guard let next, next == "/dashboard" || next.hasPrefix("/dashboard/") || next.hasPrefix("/dashboard?"),
            !next.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7f } == true || $0 == "\\" })
        else { return "/dashboard" }
        return next
    }

    /// `GET /dashboard/login`.
    func form(_ request: Request) -> Response {
        let next = Self.returnPath(request.uri.queryParameters["next"].map(String.init))
        guard case .tokens = access else { return Self.redirect(to: next) }
        return page(next: next, failed: false).response()
    }

    /// `POST /dashboard/login`: a form with `token` and `next`.
    func signIn(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 10)
        let fields = Self.formFields(String(buffer: body))
        let next = Self.returnPath(fields["next"])
        guard case .tokens(let accepted) = access else { return Self.redirect(to: next) }
        guard let token = fields["token"], Tokens.matches(token, accepted) else {
            return page(next: next, failed: true).response()
        }
        let secure = request.headers[.forwardedProto]?.lowercased() == "https"
        return Self.redirect(
            to: next, setCookie: DashboardSession.setCookie(token: token, now: WallClock.now, secure: secure))
    }

    /// `POST /dashboard/logout`: ends the browser's session.
    func signOut() -> Response {
        Self.redirect(to: Self.signInPath(returningTo: "/dashboard"), setCookie: DashboardSession.clearCookie)
    }

    private func page(next: String, failed: Bool) -> DashboardPage {
        var body = failed ? "<p class=error>That token is not one of this service's.</p>\n" : ""
        body += """
            <form method=post action="/dashboard/login">
            <p><label>API token <input type=password name=token autocomplete=current-password required autofocus></label></p>
            <input type=hidden name=next value="\(HTMLText.escape(next))">
            <p><button>Sign in</button></p>
            </form>
            <p>The token is the one the API takes (<code>--token-file</code>). The session lasts 12 hours.</p>

            """
        return DashboardPage(title: "Sign in", body: body, status: failed ? .unauthorized : .ok)
    }

    private static func redirect(to path: String, setCookie: String? = nil) -> Response {
        var headers = DashboardPage.headers
        headers[.location] = path
        if let setCookie { headers[.setCookie] = setCookie }
        return Response(status: .seeOther, headers: headers)
    }

    /// The fields of an `application/x-www-form-urlencoded` body.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            fields[decode(parts[0])] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

extension HTTPField.Name {
    static let forwardedProto = Self("X-Forwarded-Proto")!
}
