import Foundation
import Server
import Testing

/// `/metrics` as Prometheus scrapes it, from the application in process: every series has a
/// `# HELP`, the counters an alert watches exist from the start at zero, and requests, reload
/// failures, sweeps and budgets show.
@Suite struct ServiceMetricsTests {
    @Test(arguments: StoreBackend.available) func seriesAreDescribedPresentFromTheStartAndCounted(backend: StoreBackend)
        async throws
    {
        let directory = try ServiceFaultTests.directoryWithTokens()
        defer { directory.remove() }
        let database = try CommandDatabase(backend, in: directory, file: "s.sqlite")
        defer { database.drop() }
        var settings = ServeSettings()
        settings.confirmInterval = .seconds(1)
        try await InProcessService.run(database: database.location, rules: directory.path("rules"), settings: settings) {
            service in
            let first = try await service.request("GET", "/metrics").body
            let lines = first.split(separator: "\n")
            for (index, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
                let name = line.split(separator: " ")[2]
                #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(name) "), "\(name) has no HELP line")
            }
            for status in ["rewarded", "no_reward", "clawback", "orphan", "dead", "invalid"] {
                #expect(first.contains(#"cashback_events_processed_total{status="\#(status)"} 0"#), "\(status) from the start")
            }
            #expect(first.contains("cashback_rules_reload_failures_total 0"))
            #expect(first.contains("cashback_batch_failures_total 0"))
            #expect(
                first.contains(#"cashback_partner_budget_remaining_minor_units{partner="fnac",currency="EUR"} 100000"#),
                "\(first)")

            try directory.write(
                "rules/partners/zz-broken.yaml",
                "partner: broken\nmatch: { mid: [Z1] }\nrules:\n  - id: x\n    reward: { percentage: 150% }\n")
            #expect(try await service.request("POST", "/v1/rules/reload").status == 422)
            #expect(try await service.request("GET", "/v1/nothing-here").status == 404)
            var text = try await service.request("GET", "/metrics").body
            let deadline = Date().addingTimeInterval(30)
            while !text.contains("cashback_last_confirmation_sweep_timestamp_seconds 1") && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
                text = try await service.request("GET", "/metrics").body
            }
            #expect(text.contains("cashback_rules_reload_failures_total 1"))
            #expect(
                text.contains(#"cashback_http_requests_total{route="/v1/rules/reload",method="POST",status="422"} 1"#), "\(text)")
            #expect(text.contains(#"cashback_http_requests_total{route="/metrics",method="GET",status="200"}"#))
            #expect(text.contains(#"status="404"} 1"#))
            #expect(text.contains("cashback_last_confirmation_sweep_timestamp_seconds 1"), "a sweep ran and set its time")
        }
    }
}
