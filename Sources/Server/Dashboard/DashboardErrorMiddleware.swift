import Hummingbird
import Reports
import Store

/// Answers the dashboard's failures with a page, not JSON: the same statuses and messages as
/// the API (`APIErrorMiddleware.answer`), for a person.
struct DashboardErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: any Storage

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let answer = APIErrorMiddleware<Context>.answer(to: error, of: request, logger: context.logger, store: store)
            guard let failure = answer as? APIError else { throw answer }
            let page = DashboardPage(
                title: failure.status.reasonPhrase,
                body: "<p class=error>\(HTMLText.escape(failure.message))</p>", status: failure.status)
            return page.response(headers: failure.headers)
        }
    }
}
