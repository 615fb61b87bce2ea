// The anchor of the service load test (Benchmarks/loadtest.sh; issue #11 asks `cashback serve` for
// at least half of "a bare Hummingbird server that only reads the body, measured in the same run"):
// a Hummingbird 2 application whose `POST /v1/events` collects the whole request body and answers
// 202 with the body `serve` gives one new event, and whose `GET /healthz` answers 200. Nothing else:
// no parsing, no authentication (a bearer token is ignored), no storage, no middleware.
//
//   BareServer PORT      (0 picks a free port)
//
// Listens on 127.0.0.1 and prints `listening on 127.0.0.1:PORT` on stdout once bound, the line
// `cashback serve` prints. Stops on SIGTERM or SIGINT. Like `serve`, it runs on Hummingbird's
// default event loop group (`MultiThreadedEventLoopGroup.singleton`: one thread per core) with
// HTTP/1.1.
import Foundation
import Hummingbird

enum BareServer {
    static let host = "127.0.0.1"
    /// `cashback serve --max-body`'s default; a larger body is answered 413 by Hummingbird.
    static let maxBodyBytes = 16 << 20
    /// `serve`'s listen backlog.
    static let backlog = 4096
    /// What `serve` answers to one new event (Response.json adds the newline).
    static let accepted = #"{"accepted":1,"duplicates":0}"# + "\n"
    static let healthy = #"{"status":"ok"}"# + "\n"

    static func run(port: Int) async throws {
        let router = Router()
        router.post("v1/events") { request, _ -> Response in
            _ = try await request.body.collect(upTo: maxBodyBytes)
            return json(accepted, status: .accepted)
        }
        router.get("healthz") { _, _ -> Response in json(healthy, status: .ok) }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "BareServer", backlog: backlog),
            onServerRunning: { channel in
                // loadtest.sh reads the port from this line, as it does from `serve`'s.
                let bound = channel.localAddress?.port ?? port
                FileHandle.standardOutput.write(Data("listening on \(host):\(bound)\n".utf8))
            })
        try await app.runService()
    }

    static func json(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

guard CommandLine.arguments.count == 2, let port = Int(CommandLine.arguments[1]), (0...65535).contains(port) else {
    FileHandle.standardError.write(Data("usage: BareServer PORT   (0 picks a free port)\n".utf8))
    exit(2)
}
try await BareServer.run(port: port)
