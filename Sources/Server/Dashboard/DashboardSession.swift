import Crypto
import Engine
import Foundation

/// The dashboard's sign-in. A browser cannot send a bearer header when a person follows a link,
/// so a person signs in once with the API token and gets a session cookie: the session's expiry
/// and an HMAC-SHA256 of it keyed with the token. The cookie never carries the token itself;
/// changing the tokens ends every session; a session lasts 12 hours.
enum DashboardSession {
    static let cookieName = "cashback_session"
    static let lifetimeSeconds: Int64 = 12 * 3600

    /// A session cookie's value for `token`, valid until `lifetimeSeconds` after `now`.
    static func value(token: String, now: Timestamp) -> String {
        let expiry = now.epochSeconds + lifetimeSeconds
        return "\(expiry).\(signature(expiry: expiry, token: token))"
    }

    /// Whether `value` is a session one of `tokens` opened and that has not expired at `now`.
    static func isValid(_ value: String, tokens: [String], now: Timestamp) -> Bool {
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let expiry = Int64(parts[0]), expiry > now.epochSeconds else { return false }
        return Tokens.matches(String(parts[1]), tokens.map { signature(expiry: expiry, token: $0) })
    }

    /// The `Set-Cookie` header that opens a session: only for this service's dashboard, not
    /// readable by scripts, not sent with requests from other sites; `secure` over HTTPS.
    static func setCookie(token: String, now: Timestamp, secure: Bool) -> String {
        "\(cookieName)=\(value(token: token, now: now)); Path=/dashboard; Max-Age=\(lifetimeSeconds); HttpOnly; SameSite=Strict"
            + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` header that ends the session.
    static let clearCookie = "\(cookieName)=; Path=/dashboard; Max-Age=0; HttpOnly; SameSite=Strict"

    private static func signature(expiry: Int64, token: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Data("cashback dashboard session until \(expiry)".utf8), using: SymmetricKey(data: Data(token.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
