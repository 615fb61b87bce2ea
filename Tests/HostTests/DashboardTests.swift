import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Reports
import Store
import Testing

@testable import Server

/// The dashboard over HTTP, on either store: who gets in (the API's token, as a header or a
/// session cookie), where a browser is sent, the headers that keep pages private, and the pages'
/// answers to what does not exist. `DashboardBrowserTests` loads the pages in a browser.
@Suite struct DashboardTests {
    static let token = "dashboard-token"

    /// A reply: status, headers by lowercase name, body.
    struct Reply {
        let status: Int
        let headers: [String: String]
        let body: String
    }

    static func send(
        _ service: InProcessService, _ method: HTTPRequest.Method, _ path: String, headers: [String: String] = [:],
        form: String? = nil
    ) async throws -> Reply {
        var fields: HTTPFields = [:]
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        if form != nil { fields[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await service.client.execute(
            uri: path, method: method, headers: fields, body: form.map { ByteBuffer(string: $0) })
        var named: [String: String] = [:]
        for field in response.headers { named[field.name.canonicalName] = field.value }
        return Reply(status: Int(response.status.code), headers: named, body: String(buffer: response.body))
    }

    static func withService(
        _ backend: StoreBackend, token: String? = DashboardTests.token,
        _ body: @escaping @Sendable (InProcessService) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory)
        defer { database.drop() }
        var settings = ServeSettings()
        settings.token = token
        try await InProcessService.run(database: database.location, rules: PartnerFiguresTests.rules, settings: settings, body)
    }

    @Test(arguments: StoreBackend.available) func aBrowserSignsInWithTheTokenAndGetsASessionCookie(backend: StoreBackend)
        async throws
    {
        try await Self.withService(backend) { service in
            let refused = try await Self.send(service, .get, "/dashboard/partners/fnac?x=1")
            #expect(refused.status == 303)
            #expect(refused.headers["location"] == "/dashboard/login?next=%2Fdashboard%2Fpartners%2Ffnac%3Fx%3D1")
            #expect(try await Self.send(service, .get, "/dashboard/login").body.contains("name=token"))

            let wrong = try await Self.send(service, .post, "/dashboard/login", form: "token=guess&next=%2Fdashboard")
            #expect(wrong.status == 401 && wrong.headers["set-cookie"] == nil && wrong.body.contains("not one of"))

            let signedIn = try await Self.send(
                service, .post, "/dashboard/login", form: "token=\(Self.token)&next=%2Fdashboard%2Frules")
            #expect(signedIn.status == 303 && signedIn.headers["location"] == "/dashboard/rules")
            let setCookie = try #require(signedIn.headers["set-cookie"])
            #expect(
                setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/dashboard"))
            #expect(!setCookie.contains(Self.token), "the cookie never carries the token")
            let cookie = try #require(setCookie.split(separator: ";").first.map(String.init))

            let page = try await Self.send(service, .get, "/dashboard/rules", headers: ["Cookie": cookie])
            #expect(page.status == 200 && page.headers["content-type"] == "text/html; charset=utf-8")
            #expect(page.headers["content-security-policy"]?.hasPrefix("default-src 'none'") == true)
            #expect(page.headers["cache-control"] == "no-store" && page.headers["x-frame-options"] == "DENY")

            // A changed signature, and a session that expired, are refused.
            let tampered = String(cookie.dropLast()) + (cookie.hasSuffix("0") ? "1" : "0")
            #expect(try await Self.send(service, .get, "/dashboard", headers: ["Cookie": tampered]).status == 303)
            let old = DashboardSession.value(
                token: Self.token, now: Timestamp(epochSeconds: WallClock.now.epochSeconds - DashboardSession.lifetimeSeconds - 1)
            )
            let expired = "\(DashboardSession.cookieName)=\(old)"
            #expect(try await Self.send(service, .get, "/dashboard", headers: ["Cookie": expired]).status == 303)

            // The API's bearer header opens the pages too; signing out clears the cookie.
            let bearer = try await Self.send(service, .get, "/dashboard", headers: ["Authorization": "Bearer \(Self.token)"])
            #expect(bearer.status == 200 && bearer.body.contains("data-partner=\"fnac\""))
            let signedOut = try await Self.send(service, .post, "/dashboard/logout", headers: ["Cookie": cookie])
            #expect(signedOut.status == 303 && signedOut.headers["set-cookie"]?.contains("Max-Age=0") == true)
        }
    }

    @Test func aSignInNeverSendsTheBrowserToAnotherSite() async throws {
        try await Self.withService(.sqlite) { service in
            for next in ["https://elsewhere.example/", "//elsewhere.example/dashboard", "/dashboardx", "/dashboard/\r\nX: y"] {
                let form = "token=\(Self.token)&next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                let reply = try await Self.send(service, .post, "/dashboard/login", form: form)
                #expect(reply.status == 303 && reply.headers["location"] == "/dashboard", "\(next)")
            }
        }
    }

    @Test func withoutATokenThePagesAreOpen() async throws {
        try await Self.withService(.sqlite, token: nil) { service in
            let page = try await Self.send(service, .get, "/dashboard")
            #expect(page.status == 200 && !page.body.contains("Sign out"))
            let login = try await Self.send(service, .get, "/dashboard/login?next=%2Fdashboard%2Frules")
            #expect(login.status == 303 && login.headers["location"] == "/dashboard/rules")
        }
    }

    @Test(arguments: StoreBackend.available) func whatDoesNotExistIsAPageWithItsStatus(backend: StoreBackend) async throws {
        try await Self.withService(backend) { service in
            let bearer = ["Authorization": "Bearer \(Self.token)"]
            let partner = try await Self.send(service, .get, "/dashboard/partners/nobody", headers: bearer)
            #expect(partner.status == 404 && partner.body.contains("no partner nobody in the rules in force"))
            #expect(partner.headers["content-type"] == "text/html; charset=utf-8")
            let version = try await Self.send(service, .get, "/dashboard/rules/diff?from=a&to=b", headers: bearer)
            #expect(version.status == 404 && version.body.contains("no rules version a"))
            #expect(try await Self.send(service, .get, "/dashboard/rules/diff", headers: bearer).status == 400)
            let event = try await Self.send(service, .get, "/dashboard/events?id=%3Cb%3E", headers: bearer)
            #expect(event.status == 200 && event.body.contains("No event <code>&lt;b&gt;</code> was accepted"))
            let month = try await Self.send(service, .get, "/dashboard/partners/fnac/statement?month=2026-13", headers: bearer)
            #expect(month.status == 400 && month.body.contains("month: expected YYYY-MM"))
            #expect(
                try await Self.send(service, .get, "/dashboard/partners/nobody/statement.csv?month=2026-11", headers: bearer)
                    .status == 404)
            let csv = try await Self.send(service, .get, "/dashboard/partners/fnac/statement.csv?month=2026-11", headers: bearer)
            #expect(csv.status == 200 && csv.body.hasPrefix("kind,currency,key,credits,clawbacks,net\n"))
            #expect(csv.headers["content-disposition"] == "attachment; filename=\"fnac-2026-11.csv\"")
            let deleted = try await Self.send(service, .delete, "/dashboard", headers: bearer)
            #expect(deleted.status == 405 && deleted.headers["allow"] == "GET, HEAD")
            #expect(deleted.headers["content-type"] == "text/html; charset=utf-8")
            #expect(try await Self.send(service, .put, "/dashboard/login").headers["allow"] == "GET, POST, HEAD")
            let versions = try await Self.send(service, .get, "/dashboard/rules", headers: bearer)
            let inForce = try #require(
                RuleLoader(registry: .builtin).load(directory: PartnerFiguresTests.rules).rules?.version)
            #expect(versions.body.contains("<code>\(inForce)</code> (in force)"), "the version the store recorded")
        }
    }

    @Test func aDifferenceListsRemovedLinesBeforeAddedOnesWithContext() {
        let old = (1...20).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 10\n", with: "line ten\nline 10.5\n")
        let diff = LineDiff(from: old, to: new)
        #expect(diff.hasChanges)
        #expect(
            diff.hunks(context: 2) == [
                nil, .same("line 8"), .same("line 9"), .removed("line 10"), .added("line ten"), .added("line 10.5"),
                .same("line 11"), .same("line 12"), nil,
            ])
        #expect(LineDiff(from: "", to: "a\nb").lines == [.added("a"), .added("b")], "a new file")
        #expect(!LineDiff(from: old, to: old).hasChanges)
    }
}
