/// Something that answers HTTP requests like the service: the live binary (`RunningService`)
/// or the application in process (`InProcessService`).
protocol ServiceClient {
    func request(_ method: String, _ path: String, body: String?, token: String?, contentType: String) async throws
        -> RunningService.Reply
}

extension ServiceClient {
    func request(
        _ method: String, _ path: String, body: String? = nil, token: String? = nil, contentType: String = "application/json"
    ) async throws -> RunningService.Reply {
        try await request(method, path, body: body, token: token, contentType: contentType)
    }
}

extension RunningService: ServiceClient {}
