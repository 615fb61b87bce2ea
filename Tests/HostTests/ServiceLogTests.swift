import Foundation
import Testing

/// What an operator reads: JSON log lines, a request id on each request's lines and in its
/// `X-Request-Id` header, a line for every error answered, start and stop with the queue depth.
@Suite struct ServiceLogTests {
    @Test func jsonLogsCarryTheRequestIdOfEveryErrorAnswered() async throws {
        let directory = try ServiceFaultTests.directoryWithTokens()
        defer { directory.remove() }
        let service = try RunningService(
            in: directory, arguments: ["--rules", "rules", "--db", "s.sqlite", "--token-file", "token", "--log-format", "json"])
        let connection = try RawHTTPConnection(port: service.port)
        try connection.send(
            "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(ServiceFaultTests.token)\r\n"
                + "X-Request-Id: trace-42\r\nContent-Length: 5\r\n\r\n{oops")
        let reply = try connection.readResponse()
        #expect(reply.status == 400)
        #expect(reply.text.lowercased().contains("x-request-id: trace-42"), "\(reply.text)")
        let generated = try await service.request("GET", "/v1/partners")
        #expect(generated.status == 401)
        #expect((generated.headers["X-Request-Id"] as? String)?.isEmpty == false, "an id is made when the client sends none")

        #expect(try await service.waitForLog("trace-42"), "\(service.log)")
        #expect(service.terminate() == 0)
        let lines = service.log.split(separator: "\n")
        let objects = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
        }
        #expect(objects.allSatisfy { $0["time"] is String && $0["level"] is String && $0["message"] is String })
        let metadata = objects.compactMap { $0["metadata"] as? [String: String] }
        #expect(metadata.contains { $0["request.id"] == "trace-42" && $0["http.status"] == "400" }, "\(service.log)")
        #expect(metadata.contains { $0["http.status"] == "401" && $0["request.id"] != nil })
        #expect(
            objects.contains {
                $0["message"] as? String == "starting" && ($0["metadata"] as? [String: String])?["queue.depth"] == "0"
            })
        #expect(
            objects.contains {
                $0["message"] as? String == "stopped cleanly" && ($0["metadata"] as? [String: String])?["queue.depth"] != nil
            })
    }

    /// Text lines (the default) carry the request's id with the line's own metadata, sorted.
    @Test func textLogsCarryTheRequestIdOfEveryErrorAnswered() async throws {
        let directory = try ServiceFaultTests.directoryWithTokens()
        defer { directory.remove() }
        let service = try RunningService(
            in: directory, arguments: ["--rules", "rules", "--db", "s.sqlite", "--token-file", "token"])
        let connection = try RawHTTPConnection(port: service.port)
        try connection.send(
            "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(ServiceFaultTests.token)\r\n"
                + "X-Request-Id: trace-43\r\nContent-Length: 5\r\n\r\n{oops")
        #expect(try connection.readResponse().status == 400)
        #expect(try await service.waitForLog("trace-43"), "\(service.log)")
        #expect(service.terminate() == 0)
        let line = try #require(service.log.split(separator: "\n").first { $0.contains("trace-43") })
        #expect(line.contains("notice cashback.serve:"), "\(line)")
        #expect(line.contains("http.method=POST http.path=/v1/events http.status=400 request.id=trace-43"), "\(line)")
        #expect(line.hasSuffix("answered 400"), "\(line)")
    }

    @Test func anUnknownLogFormatIsAUsageError() throws {
        let result = try CashbackBinary.run(["--log-format", "xml", "lint", "rules"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--log-format expects text or json"))
    }
}
