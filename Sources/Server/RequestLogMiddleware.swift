import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware: gives every request an id (the client's `X-Request-Id` when it is
/// a sane token, else a fresh one), puts it on the request's logger (`request.id`) and on the
/// response's `X-Request-Id` header, and logs one line for every 4xx and 5xx answered, with
/// the method, the path, the status and the error's message; counts every answer by route.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    static var header: HTTPField.Name { HTTPField.Name("X-Request-Id")! }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var context = context
        let id = Self.clientID(request.headers[Self.header]) ?? "\(RequestID())"
        context.logger[metadataKey: "request.id"] = "\(id)"
        var response: Response
        var message: String?
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            response = try error.response(from: request, context: context)
            message = error.message
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.header] = id
        let status = response.status.code
        metrics.answered(route: context.endpointPath ?? "(none)", method: request.method.rawValue, status: status)
        if status >= 400 {
            context.logger.log(
                level: status >= 500 ? .error : .notice, "answered \(status)",
                metadata: [
                    "http.method": "\(request.method)", "http.path": "\(request.uri.path)", "http.status": "\(status)",
                    "error.message": "\(message ?? response.status.reasonPhrase)",
                ])
        }
        return response
    }

    /// A client's id when it is 1–64 characters of letters, digits, `-`, `_`, `.`, `:`.
    static func clientID(_ header: String?) -> String? {
        func isIDByte(_ byte: UInt8) -> Bool {
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || "-_.:".utf8.contains(byte)
        }
        guard let header, (1...64).contains(header.utf8.count), header.utf8.allSatisfy(isIDByte) else { return nil }
        return header
    }
}
