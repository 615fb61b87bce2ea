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
        } catch {
            throw Self.answer(to: error, of: request, logger: context.logger, store: store)
        }
    }

    /// The error that answers `error`: itself when it chooses its response, else an `APIError`.
    static func answer(to error: any Error, of request: Request, logger: Logger, store: any Storage) -> any Error {
        switch error {
        case let error as any HTTPResponseError:
            return error
        case let error as HTTPParserError:
            // A body that breaks HTTP's framing (a malformed chunk size): the client's fault.
            return APIError(
                status: .badRequest, message: "malformed HTTP request: \(error)", headers: [.connection: "close"])
        case is ServiceStopping:
            return APIError(status: .serviceUnavailable, message: "shutting down", headers: [.retryAfter: "5"])
        default:
            let metadata: Logger.Metadata = [
                "http.method": "\(request.method)", "http.path": "\(request.uri.path)", "error.message": "\(error)",
            ]
            if let reason = store.transientUnavailability(of: error) {
                logger.warning("request refused: \(reason)", metadata: metadata)
                return APIError(status: .serviceUnavailable, message: "\(reason); retry later", headers: [.retryAfter: "5"])
            }
            logger.error("request failed unexpectedly", metadata: metadata)
            return APIError(status: .internalServerError, message: "internal error")
        }
    }
}
