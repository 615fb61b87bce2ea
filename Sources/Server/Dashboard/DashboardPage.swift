import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Reports

/// A page of the dashboard: the frame every page shares (title, navigation, style sheet) and the
/// response that carries it. Pages are drawn on the server: no script, no font, nothing fetched
/// from elsewhere, which the response's content security policy enforces in the browser.
struct DashboardPage {
    let title: String
    let body: String
    var status: HTTPResponse.Status = .ok
    /// Whether the navigation offers to sign out (the service has tokens).
    var signOut = false

    /// The policy every dashboard response carries: only this page's own style sheet (by its
    /// hash), no script, images only inline, forms only to this service, never in a frame.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src '\(styleHash)'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    private static let styleHash = "sha256-" + Data(SHA256.hash(data: Data(PageStyle.css.utf8))).base64EncodedString()

    var html: String {
        var nav = "<nav><a href=\"/dashboard\">Partners</a><a href=\"/dashboard/events\">Event lookup</a>"
        nav += "<a href=\"/dashboard/rules\">Rules versions</a>"
        if signOut { nav += "<form method=post action=\"/dashboard/logout\"><button>Sign out</button></form>" }
        nav += "</nav>"
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(HTMLText.escape(title)) · Cashback</title>
            <link rel="icon" href="data:,"><style>\(PageStyle.css)</style></head><body>
            \(nav)
            <h1>\(HTMLText.escape(title))</h1>
            \(body)</body></html>

            """
    }

    /// The response: the page with headers that keep it out of caches, frames and referrers.
    func response(headers extra: HTTPFields = [:]) -> Response {
        var headers = Self.headers
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The headers of every dashboard response.
    static var headers: HTTPFields {
        [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
            .contentSecurityPolicy: contentSecurityPolicy, .xContentTypeOptions: "nosniff",
            .referrerPolicy: "no-referrer", .xFrameOptions: "DENY",
        ]
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
}
