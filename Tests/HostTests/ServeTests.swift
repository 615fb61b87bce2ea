import Engine
import Foundation
import Testing

/// A live `cashback serve` driven like the core banking system and an operator would: auth,
/// ingest answers, duplicates, reloads, shutdown; what it stored equals `dry-run`.
@Suite struct ServeTests {
    static let token = "t0k3n-for-tests"
    static let adminToken = "admin-t0k3n-for-tests"

    @Test(arguments: StoreBackend.available) func liveServiceAnswersLikeTheSpecAndStoresWhatDryRunPrints(
        backend: StoreBackend
    ) async throws {
        let directory = try QueueCommandTests.workload(events: 1_500)
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory, file: "s.sqlite")
        defer { database.drop() }
        try directory.write("token", ServeTests.token + "\n")
        try directory.write("admin-token", ServeTests.adminToken)
        let service = try RunningService(
            in: directory,
            arguments: [
                "--rules", "rules", "--db", database.argument, "--token-file", "token", "--admin-token-file", "admin-token",
                "--max-body", "200000", "--workers", "2", "--batch-size", "64",
            ])
        let events = try String(contentsOf: directory.url.appendingPathComponent("events.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let token = ServeTests.token

        // Auth.
        #expect(try await service.request("POST", "/v1/events", body: events[0]).status == 401)
        #expect(try await service.request("POST", "/v1/events", body: events[0], token: "wrong").status == 401)
        #expect(try await service.request("GET", "/v1/partners", token: token).status == 200)
        #expect(try await service.request("POST", "/v1/rules/reload", token: token).status == 401, "reload needs the admin token")
        #expect(try await service.request("GET", "/healthz").status == 200, "health needs no token")

        // Ingest in every body shape; what was accepted, in order, is what dry-run must see.
        var accepted: [String] = []
        var index = 0
        var shape = 0
        while index < events.count {
            let chunk = Array(events[index..<min(index + 100, events.count)])
            let reply: RunningService.Reply
            switch shape % 3 {
            case 0:
                reply = try await service.request(
                    "POST", "/v1/events", body: "[" + chunk.joined(separator: ",") + "]", token: token)
            case 1:
                reply = try await service.request(
                    "POST", "/v1/events", body: chunk.joined(separator: "\n") + "\n", token: token,
                    contentType: "application/x-ndjson")
            default:
                for line in chunk {
                    #expect(try await service.request("POST", "/v1/events", body: line, token: token).status == 202)
                }
                reply = RunningService.Reply(status: 202, body: "", headers: [:])
            }
            #expect(reply.status == 202, "\(reply.body)")
            accepted += chunk
            index += chunk.count
            shape += 1
        }
        // A retried request is accepted again and counted as duplicates.
        let retry = try await service.request(
            "POST", "/v1/events", body: "[" + events[0..<3].joined(separator: ",") + "]", token: token)
        #expect(retry.status == 202)
        #expect(retry.body.contains(#""accepted":0,"duplicates":3"#), "\(retry.body)")
        accepted += events[0..<3]

        // 400 naming the index and field; malformed JSON with its position; 409; 413. None stores anything.
        let invalid = try await service.request(
            "POST", "/v1/events",
            body: "["
                + #"{"id":"n1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"mid":"B1"}}"#
                + ","
                + #"{"id":"n2","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"1.001","currency":"EUR","merchant":{"mid":"B1"}}"#
                + "]",
            token: token)
        #expect(invalid.status == 400)
        #expect(invalid.body.contains(#""index":1,"field":"amount""#), "\(invalid.body)")
        let malformed = try await service.request("POST", "/v1/events", body: #"{"id":"x","#, token: token)
        #expect(malformed.status == 400 && malformed.body.contains("not valid JSON"))
        let firstPayment = try #require(events.first { $0.contains(#""merchant""#) })
        let conflict = try await service.request(
            "POST", "/v1/events",
            body: firstPayment.replacingOccurrences(of: #""account":""#, with: #""account":"someone-else-"#), token: token)
        #expect(conflict.status == 409, "\(conflict.body)")
        let oversized = try await service.request(
            "POST", "/v1/events", body: String(repeating: " ", count: 300_000) + events[0], token: token)
        #expect(oversized.status == 413)
        #expect(try await service.request("GET", "/v1/events/n1", token: token).status == 404, "the 400 request stored nothing")

        // Everything accepted gets processed.
        while true {
            let ready = try await service.request("GET", "/readyz")
            if ready.body.contains(#""queue_depth":0"#) { break }
            try await Task.sleep(for: .milliseconds(50))
        }

        // A broken reload is refused with diagnostics and the old rules keep serving.
        let before = try await service.request("GET", "/readyz").body
        try directory.write(
            "rules/partners/zz-broken.yaml",
            "partner: broken\nmatch: { mid: [Z1] }\nrules:\n  - id: x\n    reward: { percentage: 150% }\n")
        let broken = try await service.request("POST", "/v1/rules/reload", token: ServeTests.adminToken)
        #expect(broken.status == 422)
        #expect(
            broken.body.contains("zz-broken.yaml:5:27: error: [broken/x] percentage: '150%' must be at most 100%"),
            "\(broken.body)")
        #expect(try await service.request("GET", "/readyz").body == before, "same rules version")

        // A good reload swaps the rules; a later event is decided with them and records the new version.
        try directory.write(
            "rules/partners/zz-broken.yaml",
            "partner: newcomer\nmatch: { mid: [Z1] }\nrules:\n  - id: x\n    reward: { percentage: 50% }\n")
        let good = try await service.request("POST", "/v1/rules/reload", token: ServeTests.adminToken)
        #expect(good.status == 200)
        let version = try #require(good.body.split(separator: "\"").dropFirst(3).first.map(String.init))
        #expect(!before.contains(version))
        let late =
            #"{"id":"late-1","account":"z","occurred_at":"2026-12-30T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"Z1"}}"#
        #expect(try await service.request("POST", "/v1/events", body: late, token: token).status == 202)
        var status = ""
        while !status.contains(#""status":"processed""#) {
            status = try await service.request("GET", "/v1/events/late-1", token: token).body
            if !status.contains(#""status":"processed""#) { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(status.contains(#""rules_version":"\#(version)""#))
        #expect(
            status.contains(#""partner":"newcomer""#) && status.contains(#"{"rule":"newcomer/x","amount":"5.00"}"#), "\(status)")

        // SIGTERM: a clean exit.
        #expect(service.terminate() == 0)

        // What the service stored is what dry-run prints for the accepted events.
        try directory.write("accepted.jsonl", accepted.joined(separator: "\n") + "\n")
        try FileManager.default.removeItem(atPath: directory.path("rules/partners/zz-broken.yaml"))
        let dryRun = try CashbackBinary.run(
            ["dry-run", "--format", "json", "--rules", "rules", "accepted.jsonl"], in: directory.url)
        let stored = try CashbackBinary.run(["decisions", "--db", database.argument], in: directory.url)
        #expect(stored.lines.count == dryRun.lines.count + 1)
        #expect(Array(stored.lines.dropLast()) == dryRun.lines)
    }
}
