import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A live `cashback serve` attacked the way a hostile client and a bad day in production would:
/// path spellings around the token, fatal start-up errors, slow and idle clients, oversized
/// bodies, a second process on the same database, a damaged file.
@Suite struct ServiceFaultTests {
    static let token = "t0k3n-for-fault-tests"
    static let adminToken = "admin-t0k3n-for-fault-tests"
    static let rewardedPayment =
        #"{"id":"p1","account":"Zoé","occurred_at":"2026-11-02T09:08:34+01:00","amount":"4.25","currency":"EUR","merchant":{"siret":"65201405100033","name":"CRF CITY PARIS 11","mcc":"5411","country":"FR"}}"#

    /// A directory holding the shipped rules and both token files.
    static func directoryWithTokens() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(
            at: CashbackBinary.repositoryRoot.appendingPathComponent("rules"), to: directory.url.appendingPathComponent("rules"))
        try directory.write("token", token)
        try directory.write("admin-token", adminToken)
        return directory
    }

    /// `serve` in `directory` on `db` (a file there, or a URL), with both tokens.
    static func serveWithTokens(in directory: TemporaryDirectory, db: String = "s.sqlite", _ extra: [String] = []) throws
        -> RunningService
    {
        try RunningService(
            in: directory,
            arguments: ["--rules", "rules", "--db", db, "--token-file", "token", "--admin-token-file", "admin-token"] + extra)
    }

    @Test(arguments: [
        "//v1/credits", "/v1//credits", "/v1/credits/", "///v1/credits", "//v1/accounts/X", "//v1/events/ID", "//v1/partners",
        "/v1//partners//carrefour/stats", "/v1/%63redits", "/v1/./credits", "/v1/x/../credits", "/v1/accounts/%2E%2E",
    ])
    func noSpellingOfAV1PathIsServedWithoutItsToken(path: String) async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory)
        let read = try RawHTTPConnection.request(port: service.port, "GET", path)
        #expect(read == 401 || read == 404, "GET \(path) answered \(read)")
        let post = try RawHTTPConnection.request(port: service.port, "POST", "/" + path, body: Self.rewardedPayment)
        #expect(post == 401 || post == 404 || post == 405, "POST /\(path) answered \(post)")
        #expect(service.terminate() == 0)
    }

    @Test func reloadNeedsTheAdminTokenHoweverItsPathIsSpelled() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory)
        for path in ["/v1/rules/reload", "//v1/rules/reload", "/v1//rules/reload", "/v1/rules/reload/", "/v1/rules//reload"] {
            #expect(try RawHTTPConnection.request(port: service.port, "POST", path) == 401, "\(path) without a token")
            #expect(
                try RawHTTPConnection.request(port: service.port, "POST", path, token: Self.token) == 401,
                "\(path), ordinary token")
            #expect(
                try RawHTTPConnection.request(port: service.port, "POST", path, token: Self.adminToken) == 200, "\(path), admin")
        }
        #expect(service.terminate() == 0)
    }

    @Test func undeclaredMethodsAnswer405WithAllow() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory)
        let health = try await service.request("DELETE", "/healthz")
        #expect(health.status == 405)
        #expect(health.headers["Allow"] as? String == "GET, HEAD")
        #expect(health.body.contains("DELETE is not allowed"))
        #expect(try await service.request("PUT", "/v1/events", token: Self.token).status == 405)
        #expect(try await service.request("PUT", "/v1/events").status == 401, "the token comes first")
        #expect(try await service.request("GET", "/v1/rules/reload", token: Self.adminToken).status == 405)
        #expect(try await service.request("HEAD", "/healthz").status == 200)
        #expect(service.terminate() == 0)
    }

    @Test func pathParametersArePercentDecoded() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory)
        #expect(try await service.request("POST", "/v1/events", body: Self.rewardedPayment, token: Self.token).status == 202)
        var account = ""
        let deadline = Date().addingTimeInterval(30)
        // The line is pending or, once 30 days have passed since the payment, confirmed.
        while !account.contains(#""amount":"0.04""#) && Date() < deadline {
            account = try await service.request("GET", "/v1/accounts/Zo%C3%A9", token: Self.token).body
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(account.contains(#""account":"Zoé""#), "\(account)")
        #expect(account.contains(#""amount":"0.04""#), "\(account)")
        #expect(try await service.request("GET", "/v1/events/p1", token: Self.token).body.contains(#""status":"processed""#))
        #expect(try await service.request("GET", "/v1/accounts/%FF", token: Self.token).status == 400)
        #expect(service.terminate() == 0)
    }

    @Test func aBusyPortEndsInOneLineAndANonZeroExit() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let first = try Self.serveWithTokens(in: directory)
        let second = try await CashbackBinary.runExpectingExit(
            ["serve", "--rules", "rules", "--db", "other.sqlite", "--listen", "127.0.0.1:\(first.port)"], in: directory.url)
        let result = try #require(second, "a second service on a busy port must exit, not hang")
        #expect(result.status != 0)
        let critical = result.stderr.split(separator: "\n").filter { $0.contains("critical") }
        #expect(critical.count == 1, "\(result.stderr)")
        #expect(critical.first?.contains("Address already in use") == true, "\(result.stderr)")
        #expect(first.terminate() == 0)
    }

    @Test func anUnresolvableHostEndsInOneLineAndANonZeroExit() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let result = try #require(
            try await CashbackBinary.runExpectingExit(
                [
                    "serve", "--rules", "rules", "--db", "s.sqlite", "--listen", "no-such-host.invalid:8080", "--token-file",
                    "token",
                ],
                in: directory.url))
        #expect(result.status != 0)
        #expect(result.stderr.contains("no-such-host.invalid"), "\(result.stderr)")
    }

    @Test func listeningBeyondLoopbackWithoutATokenNeedsInsecure() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let refused = try #require(
            try await CashbackBinary.runExpectingExit(
                ["serve", "--rules", "rules", "--db", "s.sqlite", "--listen", "0.0.0.0:0"], in: directory.url))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--insecure"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("s.sqlite")), "refused before touching the database")
        let insecure = try RunningService(in: directory, arguments: ["--rules", "rules", "--db", "s.sqlite", "--insecure"])
        #expect(try await insecure.request("GET", "/v1/partners").status == 200)
        #expect(insecure.terminate() == 0)
    }

    @Test func aSecondSchedulerOnTheSameDatabaseIsRefused() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let first = try Self.serveWithTokens(in: directory)
        try FileManager.default.createSymbolicLink(atPath: directory.path("link.sqlite"), withDestinationPath: "s.sqlite")
        for arguments in [
            ["serve", "--rules", "rules", "--db", "s.sqlite", "--listen", "127.0.0.1:0"],
            ["serve", "--rules", "rules", "--db", "link.sqlite", "--listen", "127.0.0.1:0"],
            ["process", "--rules", "rules", "--db", "s.sqlite"],
        ] {
            let result = try #require(try await CashbackBinary.runExpectingExit(arguments, in: directory.url))
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains("in use by another"), "\(result.stderr)")
        }
        #expect(try await first.request("GET", "/readyz").status == 200, "the first keeps serving")
        #expect(first.terminate() == 0)
        let after = try CashbackBinary.run(["process", "--rules", "rules", "--db", "s.sqlite"], in: directory.url)
        #expect(after.status == 0, "the lock goes with the process: \(after.stderr)")
    }

    /// A processed 3,000-event database, `s.sqlite`, with a page in the middle of the file (not
    /// the header) overwritten: only a page check finds it.
    static func processedDatabaseWithADamagedPage() throws -> TemporaryDirectory {
        let directory = try QueueCommandTests.workload(events: 3_000)
        #expect(try CashbackBinary.run(["enqueue", "--db", "s.sqlite", "events.jsonl"], in: directory.url).status == 0)
        #expect(try CashbackBinary.run(["process", "--rules", "rules", "--db", "s.sqlite"], in: directory.url).status == 0)
        let handle = try FileHandle(forUpdating: directory.url.appendingPathComponent("s.sqlite"))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2 / 4096 * 4096)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 4096))
        try handle.close()
        return directory
    }

    @Test func aDamagedDatabaseIsRefusedBeforeAnythingIsServedOrPrinted() async throws {
        let directory = try Self.processedDatabaseWithADamagedPage()
        defer { directory.remove() }

        let serve = try #require(
            try await CashbackBinary.runExpectingExit(
                // A budget no loaded machine exceeds on this small file: the check ends before serving.
                ["serve", "--rules", "rules", "--db", "s.sqlite", "--listen", "127.0.0.1:0", "--check-within", "60"],
                in: directory.url))
        #expect(serve.status != 0)
        #expect(serve.stderr.contains("damaged"), "\(serve.stderr)")
        #expect(!serve.stdout.contains("listening on"))
        let decisions = try CashbackBinary.run(["decisions", "--db", "s.sqlite"], in: directory.url)
        #expect(decisions.status != 0)
        #expect(decisions.stdout.isEmpty, "not a line before the failure")
        #expect(decisions.stderr.contains("damaged"), "\(decisions.stderr)")
    }

    /// A database too large to check within the start-up budget (here: a budget of 0) is served
    /// at once; the check goes on in the background, and damage it finds takes the service out
    /// of readiness and refuses every event, with a critical line, while reads still answer.
    @Test func damageFoundByTheBackgroundCheckStopsIngestAndReadiness() async throws {
        let directory = try Self.processedDatabaseWithADamagedPage()
        defer { directory.remove() }

        let service = try RunningService(
            in: directory, arguments: ["--rules", "rules", "--db", "s.sqlite", "--check-within", "0"])
        #expect(try await service.waitForLog("the database is damaged"), "\(service.log)")
        #expect(service.log.contains("checking the database in the background"))
        let readiness = try await service.request("GET", "/readyz")
        #expect(readiness.status == 503 && readiness.body.contains(#""store_writable":false"#), "\(readiness.body)")
        let payment =
            #"{"id":"late-1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"M1"}}"#
        let refused = try await service.request("POST", "/v1/events", body: payment)
        #expect(refused.status == 503 && refused.body.contains("damaged"), "\(refused.body)")
        #expect(try await service.request("GET", "/healthz").status == 200, "the process itself is alive")
        #expect(service.terminate() == 0)
    }

    @Test func aRefusedHangupReloadLogsEachDiagnosticWithItsPosition() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory)
        try directory.write(
            "rules/partners/broken.yaml",
            "partner: broken\nmatch: { mid: [M1] }\nrules:\n  - id: x\n    reward: { percentage: 150% }\n")
        kill(service.process.processIdentifier, SIGHUP)
        #expect(try await service.waitForLog("reload refused"), "\(service.log)")
        #expect(service.log.contains("partners/broken.yaml:5:"), "\(service.log)")
        #expect(service.terminate() == 0)
    }

    @Test func idleHalfSentAndSlowRequestsAreClosed() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory, ["--idle-timeout", "1", "--body-timeout", "1"])
        let idle = try RawHTTPConnection(port: service.port)
        #expect(try idle.readToEnd() == "", "an idle connection is closed")
        let halfHeader = try RawHTTPConnection(port: service.port)
        try halfHeader.send("GET /healthz HTTP/1.1\r\nHo")
        #expect(try halfHeader.readToEnd() == "", "a connection that never finishes its headers is closed")
        let slowBody = try RawHTTPConnection(port: service.port)
        try slowBody.send(
            "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Self.token)\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n[\r\n"
        )
        #expect(try slowBody.readToEnd() == "", "a body that never ends is cut off")
        #expect(try await service.request("GET", "/healthz").status == 200, "and the service still answers")
        #expect(service.terminate() == 0)
    }

    @Test func theConnectionCapHoldsNewConnectionsUntilOneCloses() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory, ["--max-connections", "3"])
        var idle = try (0..<3).map { _ in try RawHTTPConnection(port: service.port) }
        #expect(try await service.waitForLog("connection cap reached"), "\(service.log)")
        let waiting = try RawHTTPConnection(port: service.port)
        try waiting.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        idle.removeAll()
        #expect(try waiting.readResponse().status == 200, "served once a connection closed")
        #expect(service.terminate() == 0)
    }

    @Test func aBodyOverTheLimitSentWholeBeforeReadingGets413ThenTheConnectionCloses() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory, ["--max-body", "1000000"])
        for closing in [true, false] {
            let connection = try RawHTTPConnection(port: service.port)
            let size = 32 << 20
            var head = "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Self.token)\r\nContent-Length: \(size)\r\n"
            if closing { head += "Connection: close\r\n" }
            try connection.send(head + "\r\n")
            try connection.send([UInt8](repeating: 0x20, count: size))
            let reply = try connection.readToEnd()
            #expect(reply.hasPrefix("HTTP/1.1 413"), "\(reply.prefix(200))")
            #expect(reply.contains("larger than 1000000 bytes"))
        }
        #expect(try await service.request("GET", "/healthz").status == 200)
        #expect(service.terminate() == 0)
    }

    @Test(arguments: StoreBackend.available) func aPaymentInYear10000LocalTimeIsDecidedAndTheEventsBehindItFlow(
        backend: StoreBackend
    ) async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory, file: "s.sqlite")
        defer { database.drop() }
        let service = try Self.serveWithTokens(in: directory, db: database.argument)
        let poison =
            #"{"id":"p","account":"C1","occurred_at":"9999-12-31T23:30:00Z","amount":"41.90","currency":"EUR","merchant":{"siret":"65201405100033","name":"CRF CITY PARIS 11","mcc":"5411","country":"FR"}}"#
        let yearZero =
            #"{"id":"z","account":"C1","occurred_at":"0001-01-01T00:30:00+00:00","amount":"41.90","currency":"EUR","merchant":{"siret":"65201405100033","name":"CRF CITY PARIS 11","mcc":"5411","country":"FR","channel":"online"}}"#
        let body = [poison, yearZero, Self.rewardedPayment].joined(separator: "\n")
        let posted = try await service.request(
            "POST", "/v1/events", body: body, token: Self.token, contentType: "application/x-ndjson")
        #expect(posted.status == 202 || posted.status == 400, "\(posted.body)")
        if posted.status == 400 {
            #expect(try await service.request("POST", "/v1/events", body: Self.rewardedPayment, token: Self.token).status == 202)
        }
        var status = ""
        let deadline = Date().addingTimeInterval(30)
        while !status.contains(#""status":"processed""#) && Date() < deadline {
            status = try await service.request("GET", "/v1/events/p1", token: Self.token).body
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(status.contains(#""status":"processed""#), "the event behind it was decided: \(status)")
        #expect(service.process.isRunning, "the service is still up")
        #expect(service.terminate() == 0)
    }

    @Test func aMalformedChunkIsABadRequestNotAnInternalError() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory)
        for size in ["zz", "10000000000000000"] {
            let connection = try RawHTTPConnection(port: service.port)
            try connection.send(
                "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(Self.token)\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "\(size)\r\nabc\r\n0\r\n\r\n")
            let reply = try connection.readToEnd()
            #expect(reply.hasPrefix("HTTP/1.1 400"), "chunk size \(size): \(reply.prefix(120))")
        }
        #expect(service.terminate() == 0)
    }

    @Test func aRefusedClientThatSendsItsWholeBodyFirstGetsItsAnswer() async throws {
        let directory = try Self.directoryWithTokens()
        defer { directory.remove() }
        let service = try Self.serveWithTokens(in: directory)
        let connection = try RawHTTPConnection(port: service.port)
        let size = 8 << 20
        try connection.send("POST /v1/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: \(size)\r\n\r\n")
        try connection.send([UInt8](repeating: 0x20, count: size))
        let reply = try connection.readToEnd()
        #expect(reply.hasPrefix("HTTP/1.1 401"), "\(reply.prefix(120))")
        #expect(service.terminate() == 0)
    }
}
