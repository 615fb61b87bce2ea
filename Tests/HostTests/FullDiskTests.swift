import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The database on a small tmpfs that fills up: the service answers 503 with a reason, stays up,
/// and recovers by itself when space returns; nothing acknowledged is lost. Needs permission to
/// mount (root, as in CI); elsewhere the suite is skipped.
@Suite(.enabled(if: SmallFilesystem.canMount, "needs permission to mount a tmpfs"))
struct FullDiskTests {
    @Test func aFullDiskAnswers503AndRecoversWhenSpaceReturns() async throws {
        let directory = try ServiceFaultTests.directoryWithTokens()
        defer { directory.remove() }
        let disk = try SmallFilesystem(at: directory.path("disk"), megabytes: 2)
        defer { disk.unmount() }
        let service = try RunningService(in: directory, arguments: ["--rules", "rules", "--db", "disk/s.sqlite"])
        // Leave a few hundred KB free, then post until the disk is full.
        try Data(count: 1_500_000).write(to: URL(fileURLWithPath: directory.path("disk/filler")))
        var acknowledged: [String] = []
        var refusal: RunningService.Reply?
        for batch in 0..<400 where refusal == nil {
            let ids = (0..<50).map { "e\(batch)-\($0)" }
            let body = ids.map { FullDiskTests.payment(id: $0) }.joined(separator: "\n")
            let reply = try await service.request("POST", "/v1/events", body: body, contentType: "application/x-ndjson")
            if reply.status == 202 { acknowledged += ids } else { refusal = reply }
        }
        let refused = try #require(refusal, "the disk never filled")
        #expect(refused.status == 503)
        #expect(refused.headers["Retry-After"] as? String == "5")
        #expect(refused.body.contains("disk holding the database is full"), "\(refused.body)")
        #expect(try await service.request("GET", "/healthz").status == 200, "the listener stays up")

        try FileManager.default.removeItem(atPath: directory.path("disk/filler"))
        var after = try await service.request("POST", "/v1/events", body: FullDiskTests.payment(id: "after"))
        let deadline = Date().addingTimeInterval(30)
        while after.status != 202 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            after = try await service.request("POST", "/v1/events", body: FullDiskTests.payment(id: "after"))
        }
        #expect(after.status == 202, "recovers by itself: \(after.body)")
        acknowledged.append("after")
        // Every acknowledged event gets decided.
        for id in [acknowledged.first!, acknowledged.last!] {
            var status = ""
            while !status.contains(#""status":"processed""#) && Date() < deadline.addingTimeInterval(30) {
                status = try await service.request("GET", "/v1/events/\(id)").body
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(status.contains(#""status":"processed""#), "\(id): \(status)")
        }
        #expect(service.terminate() == 0)
        let decisions = try CashbackBinary.run(["decisions", "--db", "disk/s.sqlite"], in: directory.url)
        #expect(decisions.lines.count == acknowledged.count, "nothing acknowledged is lost or doubled")
        let check = try CashbackBinary.run(["check", "--db", "disk/s.sqlite"], in: directory.url)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    static func payment(id: String) -> String {
        #"{"id":"\#(id)","account":"A1","occurred_at":"2026-11-24T14:03:00+01:00","amount":"42.50","currency":"EUR","merchant":{"name":"FNAC PARIS","mcc":"5732"}}"#
    }
}
