import Engine
import Hummingbird
import Store

/// An API error that chooses its response: status, headers and a JSON body
/// `{"error": {"message": …, "index": …, "field": …, "event": …, "diagnostics": […]}}`.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var index: Int?
    var field: String?
    var event: String?
    var diagnostics: [String] = []
    var headers: HTTPFields = [:]

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.beginObject("error")
        writer.string("message", message)
        if let index { writer.int("index", index) }
        if let field { writer.string("field", field) }
        if let event { writer.string("event", event) }
        if !diagnostics.isEmpty {
            writer.beginArray("diagnostics")
            for diagnostic in diagnostics { writer.string(nil, diagnostic) }
            writer.endArray()
        }
        writer.endObject()
        writer.endObject()
        return Response.json(writer.text, status: status, headers: headers)
    }
}

extension Response {
    /// A JSON response from JSON text.
    static func json(_ text: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
