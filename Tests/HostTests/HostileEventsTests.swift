import Engine
import Foundation
import Testing

/// What users see of hostile input: bounded, escaped messages in `dry-run`, `lint` and HTTP
/// `400` bodies, and duplicate keys rejected with the field named (issue 8, C).
@Suite struct HostileEventsTests {
    static let rules = CashbackBinary.repositoryRoot.appendingPathComponent("rules").path

    @Test func dryRunQuotesATenMegabyteAmountInAtMost40Characters() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let amount = "\u{1B}]0;pwned\u{07}" + String(repeating: "1", count: 10 << 20)
        let escaped = amount.replacingOccurrences(of: "\u{1B}", with: "\\u001b").replacingOccurrences(
            of: "\u{07}", with: "\\u0007")
        let combining = "a" + String(repeating: "\u{301}", count: 1_000_000)
        try directory.write(
            "events.jsonl",
            [
                #"{"id":"p1","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"\#(escaped)","currency":"EUR","merchant":{"mid":"M"}}"#,
                #"{"id":"p2","account":"\#(combining)","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"mid":"M"}}"#,
                #"{"id":"p3","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","amount":"2.00","currency":"EUR","merchant":{"mid":"M"}}"#,
                #"{"id":"p4","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"\#(escaped.prefix(1000))","currency":"EUR","merchant":{"mid":"M"}}"#,
            ].joined(separator: "\n") + "\n")
        for format in ["json", "table", "csv"] {
            let result = try CashbackBinary.run(
                ["dry-run", "--rules", HostileEventsTests.rules, "--format", format, "events.jsonl"], in: directory.url)
            #expect(result.status == 0)
            #expect(result.stdout.utf8.count < 4_000, "\(format): \(result.stdout.utf8.count) bytes")
            #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\u{07}"))
        }
        let json = try CashbackBinary.run(
            ["dry-run", "--rules", HostileEventsTests.rules, "--format", "json", "events.jsonl"], in: directory.url)
        let decisions = try json.lines.map { try JSONParser.parse($0) }
        #expect(decisions.count == 4)
        #expect(decisions.allSatisfy { $0["status"] == .string("invalid") })
        #expect(decisions[0]["error"] == .string("(event): larger than 65536 bytes of JSON"))
        #expect(decisions[1]["error"] == .string("(event): larger than 65536 bytes of JSON"))
        #expect(decisions[2]["error"] == .string("amount: duplicate key"))
        #expect(
            decisions[3]["error"]
                == .string("amount: 'U+001B]0;pwnedU+0007111111111111111111111111111111…' is longer than 32 characters"))
    }

    @Test func lintQuotesAHostileFileInAtMost40Characters() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let secret = (0..<500).map { "user\($0):x:\($0):\($0)::/home/user\($0):/bin/sh\u{1B}[31m" }.joined(separator: "\n")
        try directory.write("secret/passwd", secret + "\n")
        try directory.write("rules/program.yaml", "currency: EUR\n")
        try FileManager.default.createDirectory(atPath: directory.path("rules/partners"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: directory.path("rules/partners/x.yaml"), withDestinationPath: directory.path("secret/passwd"))
        let result = try CashbackBinary.run(["lint", "rules"], in: directory.url)
        #expect(result.status == 1)
        #expect(result.stdout.utf8.count < 1_000, "\(result.stdout)")
        #expect(!result.stdout.contains("user2:"), "only the start of the file is quoted")
        #expect(!result.stdout.contains("\u{1B}"))
    }

    @Test(arguments: StoreBackend.available) func theServiceAnswers400NamingTheRepeatedField(backend: StoreBackend)
        async throws
    {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory, file: "a.sqlite")
        defer { database.drop() }
        try directory.write("rules/program.yaml", "currency: EUR\n")
        let service = try RunningService(in: directory, arguments: ["--rules", "rules", "--db", database.argument])
        let valid =
            #"{"id":"ok","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"mid":"M"}}"#
        let repeatedAmount =
            #"{"id":"p1","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"mid":"M"},"amount":"1000.00"}"#
        let first = try await service.request("POST", "/v1/events", body: "[\(valid),\(repeatedAmount)]")
        #expect(first.status == 400)
        let error = try JSONParser.parse(first.body)["error"]
        #expect(error?["field"] == .string("amount"), "\(first.body)")
        #expect(error?["index"] == .number("1"))
        #expect(error?["event"] == .string("p1"))
        #expect(error?["message"] == .string("event 1: amount: duplicate key"))

        let repeatedName =
            #"{"id":"p2","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"name":"A","name":"B"}}"#
        let second = try await service.request(
            "POST", "/v1/events", body: repeatedName + "\n", contentType: "application/x-ndjson")
        #expect(second.status == 400)
        #expect(try JSONParser.parse(second.body)["error"]?["field"] == .string("merchant.name"), "\(second.body)")

        let huge =
            #"{"id":"p3","account":"a","occurred_at":"2026-11-02T10:00:00Z","amount":"\#(String(repeating: "9", count: 100_000))","currency":"EUR","merchant":{"mid":"M"}}"#
        let third = try await service.request("POST", "/v1/events", body: huge)
        #expect(third.status == 400)
        #expect(third.body.utf8.count < 300, "\(third.body.prefix(500))")
        #expect(try await service.request("GET", "/v1/events/ok").status == 404, "nothing of a 400 request is stored")
        #expect(service.terminate() == 0)
    }
}
