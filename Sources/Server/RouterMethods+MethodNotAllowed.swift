import Hummingbird

extension RouterMethods {
    /// Answers `405 Method Not Allowed` with an `Allow` header for every registered method
    /// (RFC 9110's, PATCH and QUERY) that `path` does not declare (HEAD is declared wherever
    /// GET is).
    @discardableResult
    func refuseMethods(otherThan declared: [HTTPRequest.Method], on path: RouterPath) -> Self {
        let allowed = declared.contains(.get) ? declared + [.head] : declared
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        let known = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "QUERY"]
        for method in known.compactMap({ HTTPRequest.Method($0) }) where !allowed.contains(method) {
            on(path, method: method) { _, _ -> Response in
                throw APIError(
                    status: .methodNotAllowed, message: "\(method.rawValue) is not allowed here; allowed: \(allow)",
                    headers: [.allow: allow])
            }
        }
        return self
    }
}
