import Hummingbird
import Reports
import Store

/// The read-only dashboard `cashback serve` serves under `/dashboard` for the people who run
/// partnerships: the partners with their budgets, a partner's page, an event lookup, and the
/// rules versions with the difference between two. Pages are HTML drawn on the server with
/// inline SVG; they take the API's token (`DashboardAuthMiddleware`).
struct DashboardRoutes: Sendable {
    let store: any Storage
    let rules: RulesHolder
    let metrics: ServiceMetrics
    let settings: ServeSettings

    func add(to router: Router<BasicRequestContext>) {
        let login = DashboardLogin(access: settings.apiAccess)
        let entry = router.group("dashboard").add(middleware: DashboardErrorMiddleware(store: store))
        entry.get("login") { request, _ in login.form(request) }
        entry.post("login") { request, _ in try await login.signIn(request) }
            .refuseMethods(otherThan: [.get, .post], on: "login")
        entry.post("logout") { _, _ in login.signOut() }
            .refuseMethods(otherThan: [.post], on: "logout")
        let pages = router.group("dashboard")
            .add(middleware: DashboardErrorMiddleware(store: store))
            .add(middleware: DashboardAuthMiddleware(access: settings.apiAccess))
        let partners = DashboardPartnerPages(store: store, rules: rules, metrics: metrics)
        pages.get { _, _ in respond(try await partners.overview()) }
            .refuseMethods(otherThan: [.get], on: "")
        pages.get("partners/:id") { _, context in respond(try await partners.partner(try context.decodedParameter("id"))) }
            .refuseMethods(otherThan: [.get], on: "partners/:id")
        pages.get("partners/:id/statement") { request, context in
            let month = request.uri.queryParameters["month"].map(String.init)
            return respond(try await partners.statementPage(try context.decodedParameter("id"), month: month))
        }
        .refuseMethods(otherThan: [.get], on: "partners/:id/statement")
        for format in [StatementReport.Format.csv, .json] {
            pages.get("partners/:id/statement.\(format.rawValue)") { request, context in
                let month = request.uri.queryParameters["month"].map(String.init)
                return try await partners.statementFile(try context.decodedParameter("id"), month: month, as: format)
            }
            .refuseMethods(otherThan: [.get], on: "partners/:id/statement.\(format.rawValue)")
        }
        pages.get("events") { request, _ in
            let id = request.uri.queryParameters["id"].map(String.init)
            return respond(try await DashboardEventPage(store: store).page(lookingUp: id))
        }
        .refuseMethods(otherThan: [.get], on: "events")
        pages.get("rules") { _, _ in
            respond(try await DashboardRulesPages(store: store, inForce: rules.rules.version).list())
        }
        .refuseMethods(otherThan: [.get], on: "rules")
        pages.get("rules/diff") { request, _ in
            let query = request.uri.queryParameters
            let pages = DashboardRulesPages(store: store, inForce: rules.rules.version)
            return respond(try await pages.difference(from: query["from"].map(String.init), to: query["to"].map(String.init)))
        }
        .refuseMethods(otherThan: [.get], on: "rules/diff")
    }

    /// The page's response, offering to sign out when the service has tokens.
    private func respond(_ page: DashboardPage) -> Response {
        var page = page
        if case .tokens = settings.apiAccess { page.signOut = true }
        return page.response()
    }
}
