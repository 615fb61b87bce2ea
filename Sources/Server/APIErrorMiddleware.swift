import Hummingbird
import Logging
import NIOHTTP1
import Store

/// Gives every failure an answer with a body: a body that breaks HTTP's framing answers 400 (and
/// the connection closes), a store that cannot write now (disk full, I/O error) 503 with
/// `Retry-After`, a stopping service 503, anything unexpected 500; each is logged in one line. Errors that choose their response (`APIError`) pass through.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: any Storage

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch let error as HTTPParserError {
            // A body that breaks HTTP's framing (a malformed chunk size): the client's fault.
            throw APIError(
                status: .badRequest, message: "malformed HTTP request: \(error)", headers: [.connection: "close"])
        } catch is ServiceStopping {
            throw APIError(status: .serviceUnavailable, message: "shutting down", headers: [.retryAfter: "5"])
        } catch {
            let metadata: Logger.Metadata = [
                "http.method": "\(request.method)", "http.path": "\(request.uri.path)", "error.message": "\(error)",
            ]
            if let reason = store.transientUnavailability(of: error) {
                context.logger.warning("request refused: \(reason)", metadata: metadata)
                throw APIError(
                    status: .serviceUnavailable, message: "\(reason); retry later",
                    headers: [.retryAfter: "5"])
            }
            context.logger.error("request failed unexpectedly", metadata: metadata)
            throw APIError(status: .internalServerError, message: "internal error")
        }
    }
}
