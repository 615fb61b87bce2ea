import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A live `cashback serve` on a free loopback port, for end-to-end tests.
final class RunningService: @unchecked Sendable {
    let process = Process()
    let port: Int
    let directory: TemporaryDirectory
    /// Where the service's standard error (its log) goes.
    let logPath: String

    /// Starts the service in `directory` with `arguments` (after `serve`), and waits for its
    /// "listening on" line.
    init(in directory: TemporaryDirectory, arguments: [String]) throws {
        self.directory = directory
        logPath = directory.path("serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = CashbackBinary.executable
        process.arguments = ["serve", "--listen", "127.0.0.1:0"] + arguments
        process.currentDirectoryURL = directory.url
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        var buffer = Data()
        var found: Int?
        while found == nil {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                found = Int(text[range].split(separator: ":").last!)
            }
        }
        guard let found else { throw ServiceDidNotStart() }
        port = found
    }

    struct ServiceDidNotStart: Error {}

    /// A response: status and body text.
    struct Reply {
        let status: Int
        let body: String
        let headers: [AnyHashable: Any]
    }

    /// Sends a request and waits for the reply.
    func request(
        _ method: String, _ path: String, body: String? = nil, token: String? = nil, contentType: String = "application/json"
    ) async throws -> Reply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        return Reply(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: http.allHeaderFields)
    }

    /// The log so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the log has a line containing `text` (polling, up to `seconds`).
    func waitForLog(_ text: String, seconds: Double = 30) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if log.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return log.contains(text)
    }

    /// Sends SIGTERM and returns the exit status.
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
