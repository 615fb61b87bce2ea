import Engine
import Foundation
import Server
import Testing
import Yams

/// `docs/openapi.yaml` against the running service: every reply's status is documented for its
/// path and method, every JSON body validates against the documented schema, every documented
/// operation is exercised, and every documented status except `500` is produced.
@Suite struct OpenAPIConformanceTests {
    static let documentURL = CashbackBinary.repositoryRoot.appendingPathComponent("docs/openapi.yaml")
    static let token = "openapi-t0k3n"
    static let adminToken = "openapi-admin-t0k3n"
    static let single =
        #"{"id":"p3","account":"a1","occurred_at":"2026-11-03T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"M9","country":"FR"}}"#

    // MARK: the document itself

    @Test func documentParsesAndEveryReferenceResolves() throws {
        let document = try OpenAPIDocument.load()
        #expect(document.root["openapi"].flatMap(\.asString)?.hasPrefix("3.1") == true)
        let operations = document.operations
        #expect(operations.count == 10, "\(operations)")
        var references = 0
        OpenAPIDocument.walk(document.root) { value in
            guard case .object(let members) = value else { return }
            for member in members where member.key == "$ref" {
                references += 1
                guard case .string(let reference) = member.value else {
                    Issue.record("$ref is not a string: \(member.value)")
                    continue
                }
                #expect(document.resolve(reference) != nil, "unresolved $ref \(reference)")
            }
        }
        #expect(references > 50)
        // Every operation documents its responses, and every response its description.
        for operation in operations {
            let responses = try #require(document.responses(of: operation), "\(operation) has no responses")
            for (status, response) in responses {
                #expect(Int(status) != nil, "\(operation): status \(status) is not a number")
                #expect(response["description"] != nil, "\(operation) \(status): no description")
            }
        }
        // The validator understands every keyword the schemas use, so none is silently skipped.
        for schema in document.allSchemas() {
            guard case .object(let members) = schema else {
                Issue.record("a schema is not an object: \(schema)")
                continue
            }
            for member in members {
                #expect(SchemaValidator.knownKeywords.contains(member.key), "unsupported schema keyword \(member.key)")
            }
        }
        // Both bearer schemes exist, and reload needs the admin one.
        let schemes = document.root["components"]?["securitySchemes"]
        #expect(schemes?["bearerToken"]?["scheme"] == .string("bearer"))
        #expect(schemes?["adminToken"]?["scheme"] == .string("bearer"))
        #expect(
            document.root["paths"]?["/v1/rules/reload"]?["post"]?["security"]
                == .array([.object([(key: "adminToken", value: .array([]))])]))
    }

    @Test func theValidatorRejectsWhatTheSchemasForbid() throws {
        let document = try OpenAPIDocument.load()
        let validator = SchemaValidator(document: document.root)
        func errors(_ json: String, _ schema: String) throws -> [String] {
            validator.errors(
                try JSONParser.parse(json), .object([(key: "$ref", value: .string("#/components/schemas/\(schema)"))]))
        }
        #expect(try errors(#"{"accepted":1,"duplicates":0}"#, "IngestResult").isEmpty)
        #expect(try !errors(#"{"accepted":1}"#, "IngestResult").isEmpty, "required")
        #expect(try !errors(#"{"accepted":1,"duplicates":0,"extra":1}"#, "IngestResult").isEmpty, "additionalProperties")
        #expect(try !errors(#"{"accepted":1.5,"duplicates":0}"#, "IngestResult").isEmpty, "integer")
        #expect(try !errors(#"{"accepted":"1","duplicates":0}"#, "IngestResult").isEmpty, "type")
        #expect(try !errors(#"{"status":"fine"}"#, "Health").isEmpty, "enum")
        #expect(try errors(#"{"rule":"a/b","amount":"-1.25"}"#, "DecisionLine").isEmpty)
        #expect(try !errors(#"{"rule":"a/b","amount":"1,25"}"#, "DecisionLine").isEmpty, "pattern")
        #expect(
            try !errors(#"{"id":"p","name":"P","currency":"any","budget":null}"#, "PartnerList").isEmpty, "required at the root")
        #expect(try errors(#"{"partners":[{"id":"p","name":"P","currency":"any","budget":null}]}"#, "PartnerList").isEmpty)
        #expect(try !errors(#"{"partners":[{"id":"p","name":"P","currency":"any","budget":5}]}"#, "PartnerList").isEmpty, "oneOf")
        #expect(try errors(#"{"error":{"message":"m","index":0,"field":"id","event":"p1"}}"#, "ConflictError").isEmpty)
        #expect(
            try !errors(#"{"error":{"message":"m","index":0,"field":"amount","event":"p1"}}"#, "ConflictError").isEmpty, "allOf")
        #expect(try !errors(#"{"error":{"message":"m"}}"#, "ReloadError").isEmpty, "allOf required")
        #expect(try !errors(#"{"rule":"r","matched":true,"reward":"1.00"}"#, "TraceRule").isEmpty, "dependentRequired")
        // Decisions: each shape, and a mix of two shapes is none of them.
        #expect(try errors(#"{"event":"r9","type":"refund","status":"orphan"}"#, "Decision").isEmpty)
        #expect(try errors(#"{"line":7,"status":"invalid","event":"p7","error":"amount: bad"}"#, "Decision").isEmpty)
        #expect(
            try errors(
                #"{"event":"p2","type":"payment","account":"a1","status":"no_reward","partner":null,"currency":"EUR","cashback":"0.00","lines":[]}"#,
                "Decision"
            ).isEmpty)
        #expect(try !errors(#"{"event":"p2","status":"no_reward"}"#, "Decision").isEmpty)
        #expect(try !errors(#"{"event":"r9","status":"orphan","cashback":"0.00"}"#, "Decision").isEmpty)
        // Events: the three types, the default type, and what the spec forbids.
        let payment =
            #"{"id":"p1","account":"a1","occurred_at":"2026-11-24T14:03:00+01:00","amount":"42.50","currency":"EUR","merchant":{"mid":"M"},"unknown":1}"#
        #expect(try errors(payment, "Event").isEmpty)
        #expect(
            try errors(
                #"{"id":"r1","type":"refund","original_id":"p1","occurred_at":"2026-11-24T14:03:00Z","amount":1.5,"currency":"EUR"}"#,
                "Event"
            ).isEmpty)
        #expect(
            try errors(#"{"id":"v1","type":"reversal","original_id":"p1","occurred_at":"2026-11-24T14:03:00Z"}"#, "Event").isEmpty
        )
        #expect(
            try !errors(payment.replacingOccurrences(of: #""mid":"M""#, with: #""mcc":"5411""#), "Event").isEmpty,
            "merchant anyOf")
        #expect(try !errors(payment.replacingOccurrences(of: #""amount":"42.50""#, with: #""amount":null"#), "Event").isEmpty)
        #expect(try !errors(payment.replacingOccurrences(of: #""id":"p1""#, with: #""id":"p 1""#), "Event").isEmpty)
        #expect(try !errors(payment.replacingOccurrences(of: "+01:00", with: ""), "Event").isEmpty)
        #expect(
            try !errors(
                payment.replacingOccurrences(of: #""currency":"EUR""#, with: #""currency":"EUR","original_amount":"1.00""#),
                "Event"
            ).isEmpty)
        #expect(
            try !errors(
                #"{"id":"r1","type":"refund","occurred_at":"2026-11-24T14:03:00Z","amount":"1.00","currency":"EUR"}"#, "Event"
            ).isEmpty)
    }

    // MARK: the service, in process

    @Test(arguments: StoreBackend.available) func serviceConformsToTheDocumentInProcess(backend: StoreBackend) async throws {
        let document = try OpenAPIDocument.load()
        let run = ConformanceRun(document: document)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try CommandDatabase(backend, in: directory, file: "a.sqlite")
        let second = try CommandDatabase(backend, in: directory, file: "b.sqlite")
        defer { [first, second].forEach { $0.drop() } }
        try Self.writeRules(in: directory)
        try directory.write("token", Self.token + "\n")
        try directory.write("admin-token", Self.adminToken)

        var settings = ServeSettings()
        settings.token = Self.token
        settings.adminToken = Self.adminToken
        settings.maxBodyBytes = 20_000
        settings.workers = 2
        settings.confirmInterval = .seconds(1)
        try await InProcessService.run(database: first.location, rules: directory.path("rules"), settings: settings) {
            service in
            let token = Self.token
            // 401 on every /v1 operation without a token, and with a wrong one.
            for operation in document.operations where operation.path.hasPrefix("/v1") {
                let path = operation.path.replacingOccurrences(of: "{id}", with: "x")
                let body = operation.method == "post" && operation.path == "/v1/events" ? "{}" : nil
                let reply = try await run.call(
                    service, operation.method.uppercased(), operation.path, path, body: body, expect: 401)
                #expect(reply.json?["error"]?["message"] != nil)
            }
            _ = try await run.call(service, "GET", "/v1/partners", token: "wrong", expect: 401)
            _ = try await run.call(service, "POST", "/v1/rules/reload", token: token, expect: 401)

            // Health, readiness, metrics: no token needed.
            _ = try await run.call(service, "GET", "/healthz", expect: 200)
            let ready = try await run.call(service, "GET", "/readyz", expect: 200)
            #expect(ready.json?["ready"] == .bool(true))
            let metrics = try await run.call(service, "GET", "/metrics", expect: 200)
            #expect(metrics.reply.body.contains("# TYPE"))

            // 202 in the three body shapes; one amount as a JSON number; a duplicate.
            let single = Self.single
            let p1 =
                #"{"id":"p1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"100.00","currency":"EUR","merchant":{"mid":"M1","country":"FR"}}"#
            let p2 =
                #"{"id":"p2","account":"a1","occurred_at":"2026-11-02T10:00:00+01:00","amount":50,"currency":"EUR","merchant":{"name":"Other","country":"DE"},"note":"ignored"}"#
            let lines = [
                #"{"id":"p4","account":"a1","occurred_at":"2026-11-03T10:00:00Z","amount":"1000","currency":"JPY","merchant":{"mid":"M2"}}"#,
                #"{"id":"r1","type":"refund","original_id":"p1","occurred_at":"2026-11-04T10:00:00Z","amount":"40.00","currency":"EUR"}"#,
                "",
                #"{"id":"r2","type":"refund","original_id":"p1","occurred_at":"2026-11-04T10:00:00Z","amount":"200.00","currency":"EUR"}"#,
                #"{"id":"o1","type":"refund","original_id":"p9","occurred_at":"2026-11-04T10:00:00Z","amount":"1.00","currency":"USD"}"#,
                #"{"id":"o2","type":"reversal","original_id":"p10","occurred_at":"2026-11-04T10:00:00Z"}"#,
                #"{"id":"o3","type":"reversal","original_id":"never","occurred_at":"2026-11-04T10:00:00Z"}"#,
            ]
            var reply = try await run.call(service, "POST", "/v1/events", body: single, token: token, expect: 202)
            #expect(reply.json == .object([(key: "accepted", value: .number("1")), (key: "duplicates", value: .number("0"))]))
            reply = try await run.call(service, "POST", "/v1/events", body: "[\(p1),\(p2)]", token: token, expect: 202)
            #expect(reply.json?["accepted"] == .number("2"))
            reply = try await run.call(
                service, "POST", "/v1/events", body: lines.joined(separator: "\n") + "\n", token: token,
                contentType: "application/x-ndjson", expect: 202)
            #expect(reply.json?["accepted"] == .number("6"))
            // The originals of the orphans o1 (in another currency) and o2, and a duplicate of p1.
            let p9 =
                #"{"id":"p9","account":"a2","occurred_at":"2026-11-01T10:00:00Z","amount":"30.00","currency":"EUR","merchant":{"mid":"M1"}}"#
            let p10 =
                #"{"id":"p10","account":"a2","occurred_at":"2026-11-01T10:00:00Z","amount":"30.00","currency":"EUR","merchant":{"mid":"M1"}}"#
            try await Self.waitUntilProcessed(["o1", "o2"], service: service)
            reply = try await run.call(service, "POST", "/v1/events", body: "[\(p9),\(p10),\(p1)]", token: token, expect: 202)
            #expect(reply.json == .object([(key: "accepted", value: .number("2")), (key: "duplicates", value: .number("1"))]))

            // 400: an invalid event (index, field, event), malformed JSON, a bad JSON Lines line,
            // no events, not an object.
            let n1 =
                #"{"id":"n1","account":"a1","occurred_at":"2026-11-02T10:00:00Z","amount":"1.00","currency":"EUR","merchant":{"mid":"B1"}}"#
            let n2 = n1.replacingOccurrences(of: "n1", with: "n2").replacingOccurrences(of: "1.00", with: "1.001")
            reply = try await run.call(service, "POST", "/v1/events", body: "[\(n1),\(n2)]", token: token, expect: 400)
            #expect(reply.json?["error"]?["index"] == .number("1"))
            #expect(reply.json?["error"]?["field"] == .string("amount"))
            #expect(reply.json?["error"]?["event"] == .string("n2"))
            reply = try await run.call(service, "POST", "/v1/events", body: #"{"id":"x","#, token: token, expect: 400)
            #expect(reply.json?["error"]?["message"]?.asString?.contains("not valid JSON") == true)
            reply = try await run.call(
                service, "POST", "/v1/events", body: n1 + "\n{oops\n", token: token, contentType: "application/x-ndjson",
                expect: 400)
            #expect(reply.json?["error"]?["index"] == .number("1"))
            // A single event read straight from its bytes reports like one in an array; in JSON
            // Lines, a line that is not JSON is reported before an earlier line's bad field.
            reply = try await run.call(service, "POST", "/v1/events", body: n2, token: token, expect: 400)
            #expect(reply.json?["error"]?["index"] == .number("0"))
            #expect(reply.json?["error"]?["field"] == .string("amount"))
            reply = try await run.call(
                service, "POST", "/v1/events", body: n2 + "\n{oops\n", token: token, contentType: "application/x-ndjson",
                expect: 400)
            #expect(reply.json?["error"]?["message"]?.asString?.hasPrefix("line 2: not valid JSON") == true)
            _ = try await run.call(service, "POST", "/v1/events", body: "[]", token: token, expect: 400)
            reply = try await run.call(service, "POST", "/v1/events", body: "42", token: token, expect: 400)
            #expect(reply.json?["error"]?["field"] == .string("(event)"))

            // 409: an accepted id with other content. 413: a body over --max-body.
            reply = try await run.call(
                service, "POST", "/v1/events", body: p1.replacingOccurrences(of: "100.00", with: "99.00"), token: token,
                expect: 409)
            #expect(reply.json?["error"]?["event"] == .string("p1"))
            _ = try await run.call(
                service, "POST", "/v1/events", body: String(repeating: " ", count: 30_000) + single, token: token, expect: 413)

            // Every event's state, once processed.
            let ids = ["p1", "p2", "p3", "p4", "r1", "r2", "o1", "o2", "o3", "p9", "p10"]
            try await Self.waitUntilProcessed(ids, service: service)
            var decisions: [String: JSONValue] = [:]
            for id in ids {
                let state = try await run.call(service, "GET", "/v1/events/{id}", "/v1/events/\(id)", token: token, expect: 200)
                decisions[id] = state.json?["decision"]
                let expected = id == "o3" ? "orphan" : "processed"
                #expect(state.json?["status"] == .string(expected), "\(id): \(state.reply.body)")
            }
            #expect(decisions["p1"]?["status"] == .string("rewarded"))
            #expect(decisions["p1"]?["trace"]?["partner_limits"] != nil, "the budget shows in the trace")
            #expect(decisions["p2"]?["partner"] == .null)
            #expect(decisions["p3"]?["status"] == .string("no_reward"))
            #expect(decisions["r1"]?["status"] == .string("clawback"))
            #expect(decisions["r2"]?["warning"] != nil)
            #expect(decisions["o1"]?["status"] == .string("invalid") && decisions["o1"]?["deferred"] == .bool(true))
            #expect(decisions["o2"]?["status"] == .string("clawback") && decisions["o2"]?["deferred"] == .bool(true))
            _ = try await run.call(service, "GET", "/v1/events/{id}", "/v1/events/n1", token: token, expect: 404)
            // The admin token is accepted on every /v1 call too.
            _ = try await run.call(service, "GET", "/v1/events/{id}", "/v1/events/p1", token: Self.adminToken, expect: 200)

            // Accounts, partners, statistics.
            let account = try await run.call(service, "GET", "/v1/accounts/{id}", "/v1/accounts/a1", token: token, expect: 200)
            #expect(account.json?["balances"]?.asArray?.count == 2, "EUR and JPY")
            _ = try await run.call(service, "GET", "/v1/accounts/{id}", "/v1/accounts/a2", token: token, expect: 200)
            let nobody = try await run.call(service, "GET", "/v1/accounts/{id}", "/v1/accounts/nobody", token: token, expect: 200)
            #expect(nobody.json?["recent"] == .array([]))
            let partners = try await run.call(service, "GET", "/v1/partners", token: token, expect: 200)
            #expect(partners.json?["partners"]?.asArray?.count == 2)
            let shop = try await run.call(
                service, "GET", "/v1/partners/{id}/stats", "/v1/partners/shop/stats", token: token, expect: 200)
            #expect(shop.json?["budget"]?["total"] == .string("1000.00"))
            let world = try await run.call(
                service, "GET", "/v1/partners/{id}/stats", "/v1/partners/world/stats", token: token, expect: 200)
            #expect(world.json?["budget"] == .null)
            _ = try await run.call(
                service, "GET", "/v1/partners/{id}/stats", "/v1/partners/nobody/stats", token: token, expect: 404)

            // The credits feed, once the confirmation sweep has run (confirm_after is 0d).
            var feed = try await run.call(service, "GET", "/v1/credits", token: token, expect: 200)
            let deadline = ContinuousClock.now + .seconds(30)
            while (feed.json?["credits"]?.asArray?.count ?? 0) < 11 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
                feed = try await run.call(service, "GET", "/v1/credits", token: token, expect: 200)
            }
            #expect(feed.json?["credits"]?.asArray?.count == 11, "\(feed.reply.body)")
            let page = try await run.call(service, "GET", "/v1/credits", "/v1/credits?after=0&limit=2", token: token, expect: 200)
            #expect(page.json?["next"] == .number("2"))
            let rest = try await run.call(
                service, "GET", "/v1/credits", "/v1/credits?after=2&limit=10000", token: token, expect: 200)
            #expect(rest.json?["credits"]?.asArray?.count == 9)
            let empty = try await run.call(service, "GET", "/v1/credits", "/v1/credits?after=999", token: token, expect: 200)
            #expect(empty.json?["next"] == .number("999"))
            for query in ["after=x", "after=-1", "limit=0", "limit=10001", "limit=many"] {
                let bad = try await run.call(service, "GET", "/v1/credits", "/v1/credits?\(query)", token: token, expect: 400)
                #expect(bad.json?["error"]?["field"] == .string(String(query.prefix { $0 != "=" })))
            }

            // Reload: 200, then 422 with diagnostics (the old rules keep serving), then 200 again.
            let reloaded = try await run.call(service, "POST", "/v1/rules/reload", token: Self.adminToken, expect: 200)
            #expect(reloaded.json?["version"] == ready.json?["rules_version"], "same files, same version")
            try directory.write(
                "rules/partners/zz-broken.yaml",
                "partner: broken\nmatch: { mid: [Z1] }\nrules:\n  - id: x\n    reward: { percentage: 150% }\n")
            let refused = try await run.call(service, "POST", "/v1/rules/reload", token: Self.adminToken, expect: 422)
            #expect(refused.json?["error"]?["diagnostics"]?.asArray?.first?.asString?.contains("zz-broken.yaml:5:") == true)
            try FileManager.default.removeItem(atPath: directory.path("rules/partners/zz-broken.yaml"))
            _ = try await run.call(service, "POST", "/v1/rules/reload", token: Self.adminToken, expect: 200)
        }

        // A second service: a token but no admin token (reload is 403), and a queue bound of
        // one event with slow batches, so that a backlog gives `queued`, ingest 503 and readyz 503.
        var backlogSettings = ServeSettings()
        backlogSettings.token = Self.token
        backlogSettings.maxQueue = 1
        backlogSettings.workers = 1
        backlogSettings.batchSize = 1
        try await InProcessService.run(
            database: second.location, rules: directory.path("rules"), settings: backlogSettings
        ) { backlog in
            let token = Self.token
            let single = Self.single
            var many = ""
            for index in 0..<20_000 {
                many +=
                    #"{"id":"q\#(index)","account":"a\#(index % 50)","occurred_at":"2026-11-01T10:00:00Z","amount":"10.00","currency":"EUR","merchant":{"mid":"M1"}}"#
                    + "\n"
            }
            let reply = try await run.call(
                backlog, "POST", "/v1/events", body: many, token: token, contentType: "application/x-ndjson", expect: 202,
                validateRequest: false)
            #expect(reply.json?["accepted"] == .number("20000"))
            let queued = try await run.call(backlog, "GET", "/v1/events/{id}", "/v1/events/q19999", token: token, expect: 200)
            #expect(queued.json?["status"] == .string("queued"))
            let refusedIngest = try await run.call(backlog, "POST", "/v1/events", body: single, token: token, expect: 503)
            #expect(refusedIngest.header("Retry-After") != nil)
            let message = refusedIngest.json?["error"]?["message"]?.asString ?? ""
            #expect(message.contains("its bound is 1"), "the real bound: \(message)")
            let notReady = try await run.call(backlog, "GET", "/readyz", expect: 503)
            #expect(notReady.json?["ready"] == .bool(false))
            let forbidden = try await run.call(backlog, "POST", "/v1/rules/reload", token: token, expect: 403)
            #expect(forbidden.json?["error"]?["message"] != nil)
        }

        // Coverage: every operation was exercised, and every documented status but 500.
        for operation in document.operations {
            #expect(run.exercised.contains { $0.operation == operation }, "\(operation) was never exercised")
            for status in (document.responses(of: operation) ?? []).map(\.status) where status != "500" {
                #expect(
                    run.exercised.contains(ExercisedResponse(operation: operation, status: status)),
                    "\(operation) never answered its documented \(status)")
            }
        }
        let documented = document.operations.reduce(0) { $0 + (document.responses(of: $1)?.count ?? 0) }
        print(
            "OpenAPI conformance: \(document.operations.count) operations, \(run.exercised.count) of \(documented) documented (operation, status) pairs produced, \(run.replies) replies checked"
        )
    }

    // MARK: helpers

    static func writeRules(in directory: TemporaryDirectory) throws {
        try directory.write(
            "rules/program.yaml",
            """
            currency: EUR
            rules:
              - id: abroad
                when:
                  - country: { not: [FR] }
                reward: { percentage: 1% }

            """)
        try directory.write(
            "rules/partners/shop.yaml",
            """
            partner: shop
            name: Shop
            match: { mid: [M1] }
            budget: 1000.00
            rules:
              - id: base
                reward: { percentage: 5% }
                limits:
                  - { per: account, period: month, max: 20.00 }
              - id: weekend
                when:
                  - weekday: [sat, sun]
                reward: { flat: 2.00 }

            """)
        try directory.write(
            "rules/partners/world.yaml",
            """
            partner: world
            match: { mid: [M2] }
            currency: any
            rules:
              - id: all
                reward: { percentage: 2% }

            """)
    }

    /// Polls `GET /v1/events/{id}` (outside the conformance record) until none is queued.
    static func waitUntilProcessed(_ ids: [String], service: some ServiceClient) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        for id in ids {
            while true {
                let reply = try await service.request("GET", "/v1/events/\(id)", token: token)
                if reply.status == 200 && !reply.body.contains(#""status":"queued""#) { break }
                guard ContinuousClock.now < deadline else {
                    Issue.record("\(id) is still not processed: \(reply.status) \(reply.body)")
                    return
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}

// MARK: - Driving the service and checking each reply

/// One documented operation: a path template and a lower-case method.
struct APIOperation: Hashable, CustomStringConvertible {
    let path: String
    let method: String
    var description: String { "\(method.uppercased()) \(path)" }
}

struct ExercisedResponse: Hashable {
    let operation: APIOperation
    let status: String
}

/// A reply with its body parsed when it is JSON.
struct CheckedReply {
    let reply: RunningService.Reply
    let json: JSONValue?

    func header(_ name: String) -> String? {
        OpenAPIDocument.header(name, in: reply.headers)
    }
}

/// Sends requests, checks each reply against the document, and remembers what was exercised.
/// A class: the in-process service runs the test's requests inside a `@Sendable` closure.
final class ConformanceRun: @unchecked Sendable {
    let document: OpenAPIDocument
    var exercised: Set<ExercisedResponse> = []
    var replies = 0

    init(document: OpenAPIDocument) { self.document = document }

    /// Sends `method path` (`path` defaults to the template) and checks the reply: the expected
    /// status, documented for the operation, with the documented headers and body.
    func call(
        _ service: some ServiceClient, _ method: String, _ template: String, _ path: String? = nil, body: String? = nil,
        token: String? = nil, contentType: String = "application/json", expect status: Int, validateRequest: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CheckedReply {
        let operation = APIOperation(path: template, method: method.lowercased())
        #expect(document.operations.contains(operation), "\(operation) is not documented", sourceLocation: sourceLocation)
        let reply = try await service.request(method, path ?? template, body: body, token: token, contentType: contentType)
        replies += 1
        #expect(reply.status == status, "\(operation): \(reply.status) \(reply.body)", sourceLocation: sourceLocation)
        exercised.insert(ExercisedResponse(operation: operation, status: String(reply.status)))
        if let body, validateRequest, status == 202 {
            for problem in document.requestProblems(operation, body: body, contentType: contentType) {
                Issue.record("\(operation) request: \(problem)", sourceLocation: sourceLocation)
            }
        }
        let (json, problems) = document.replyProblems(operation, reply: reply)
        for problem in problems {
            Issue.record("\(operation) \(reply.status): \(problem)\n\(reply.body)", sourceLocation: sourceLocation)
        }
        return CheckedReply(reply: reply, json: json)
    }
}

// MARK: - The document

struct OpenAPIDocument {
    let root: JSONValue

    static func load() throws -> OpenAPIDocument {
        let text = try String(contentsOf: OpenAPIConformanceTests.documentURL, encoding: .utf8)
        guard let node = try Yams.compose(yaml: text) else { throw DocumentError(message: "docs/openapi.yaml is empty") }
        return OpenAPIDocument(root: try json(node))
    }

    struct DocumentError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// A YAML node as a JSON value, scalars by their resolved tag.
    static func json(_ node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .str: return .string(scalar.string)
            case .int: return .number(String(node.int!))
            case .float: return .number(scalar.string)
            case .bool: return .bool(node.bool!)
            case .null: return .null
            default: throw DocumentError(message: "unexpected YAML scalar \(scalar.string) tagged \(node.tag)")
            }
        case .mapping(let mapping):
            return .object(
                try mapping.map { pair in
                    guard case .scalar(let key) = pair.key else { throw DocumentError(message: "non-scalar mapping key") }
                    return (key: key.string, value: try json(pair.value))
                })
        case .sequence(let sequence):
            return .array(try sequence.map { try json($0) })
        default:
            throw DocumentError(message: "unexpected YAML node \(node)")
        }
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    var operations: [APIOperation] {
        guard case .object(let paths) = root["paths"] ?? .null else { return [] }
        return paths.flatMap { path -> [APIOperation] in
            guard case .object(let members) = path.value else { return [] }
            return members.filter { Self.methods.contains($0.key) }.map { APIOperation(path: path.key, method: $0.key) }
        }
    }

    /// A `#/…` JSON pointer into the document.
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var value: JSONValue? = root
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if case .array(let items) = value, let index = Int(key) {
                value = items.indices.contains(index) ? items[index] : nil
            } else {
                value = value?[key]
            }
        }
        return value
    }

    /// A value with its `$ref` followed (for responses, headers, parameters).
    func dereferenced(_ value: JSONValue?) -> JSONValue? {
        var value = value
        var hops = 0
        while case .string(let reference)? = value?["$ref"], hops < 16 {
            value = resolve(reference)
            hops += 1
        }
        return value
    }

    func responses(of operation: APIOperation) -> [(status: String, response: JSONValue)]? {
        guard case .object(let members)? = root["paths"]?[operation.path]?[operation.method]?["responses"] else { return nil }
        return members.map { (status: $0.key, response: dereferenced($0.value) ?? .null) }
    }

    /// What is wrong with a request body the service accepted.
    func requestProblems(_ operation: APIOperation, body: String, contentType: String) -> [String] {
        let validator = SchemaValidator(document: root)
        let mediaType = Self.mediaType(contentType)
        guard let content = root["paths"]?[operation.path]?[operation.method]?["requestBody"]?["content"],
            let schema = content[mediaType]?["schema"]
        else { return ["media type \(mediaType) is not documented for the request"] }
        if mediaType == "application/x-ndjson" {
            let event: JSONValue = .object([(key: "$ref", value: .string("#/components/schemas/Event"))])
            var problems: [String] = []
            for (number, line) in body.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                guard let value = try? JSONParser.parse(String(line)) else {
                    problems.append("line \(number + 1) is not JSON")
                    continue
                }
                problems += validator.errors(value, event, "line \(number + 1)")
            }
            return problems
        }
        guard let value = try? JSONParser.parse(body) else { return ["the body is not JSON"] }
        return validator.errors(value, schema)
    }

    /// The parsed JSON body of a reply, and what is wrong with the reply.
    func replyProblems(_ operation: APIOperation, reply: RunningService.Reply) -> (JSONValue?, [String]) {
        guard let responses = responses(of: operation) else { return (nil, ["the operation documents no responses"]) }
        guard let response = responses.first(where: { $0.status == String(reply.status) })?.response else {
            return (nil, ["status \(reply.status) is not documented; documented: \(responses.map { $0.status })"])
        }
        var problems: [String] = []
        // Documented headers.
        if case .object(let headers)? = response["headers"] {
            for (name, definition) in headers {
                let header = dereferenced(definition)
                guard let value = Self.header(name, in: reply.headers) else {
                    if header?["required"] == .bool(true) { problems.append("header \(name) is missing") }
                    continue
                }
                if let schema = header?["schema"] {
                    let typed: JSONValue =
                        schema["type"] == .string("integer") || schema["type"] == .string("number")
                        ? .number(value) : .string(value)
                    problems += SchemaValidator(document: root).errors(typed, schema, "header \(name)")
                }
            }
        }
        // The body.
        let contentType = Self.header("Content-Type", in: reply.headers).map(Self.mediaType)
        guard case .object(let content)? = response["content"] else {
            if !reply.body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                problems.append("documented without a body, but it has one")
            }
            return (nil, problems)
        }
        guard let contentType, let media = content.first(where: { $0.key == contentType })?.value else {
            problems.append("content type \(contentType ?? "none") is not documented; documented: \(content.map { $0.key })")
            return (nil, problems)
        }
        guard let schema = media["schema"] else { return (nil, problems) }
        if contentType == "application/json" {
            guard let json = try? JSONParser.parse(reply.body) else {
                problems.append("the body is not valid JSON")
                return (nil, problems)
            }
            problems += SchemaValidator(document: root).errors(json, schema)
            return (json, problems)
        }
        problems += SchemaValidator(document: root).errors(.string(reply.body), schema)
        return (nil, problems)
    }

    static func mediaType(_ contentType: String) -> String {
        String(contentType.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces).lowercased()
    }

    static func header(_ name: String, in headers: [AnyHashable: Any]) -> String? {
        for (key, value) in headers where (key.base as? String)?.lowercased() == name.lowercased() {
            return value as? String ?? "\(value)"
        }
        return nil
    }

    /// Calls `visit` on every value of the tree, depth first.
    static func walk(_ value: JSONValue, _ visit: (JSONValue) -> Void) {
        visit(value)
        switch value {
        case .object(let members): for member in members { walk(member.value, visit) }
        case .array(let items): for item in items { walk(item, visit) }
        default: break
        }
    }

    /// Every schema of the document: components, parameters, headers, media types, and every
    /// subschema of those.
    func allSchemas() -> [JSONValue] {
        var roots: [JSONValue] = []
        if case .object(let schemas)? = root["components"]?["schemas"] { roots += schemas.map { $0.value } }
        Self.walk(root) { value in
            guard case .object(let members) = value else { return }
            // Parameters, headers and media types hold a `schema`; component schemas do not.
            for member in members where member.key == "schema" { roots.append(member.value) }
        }
        var all: [JSONValue] = []
        func collect(_ schema: JSONValue) {
            all.append(schema)
            for keyword in ["properties", "dependentSchemas"] {
                if case .object(let members)? = schema[keyword] { members.forEach { collect($0.value) } }
            }
            for keyword in ["items", "not"] {
                if let sub = schema[keyword] { collect(sub) }
            }
            if case .object? = schema["additionalProperties"] { collect(schema["additionalProperties"]!) }
            for keyword in ["oneOf", "anyOf", "allOf"] {
                if case .array(let subs)? = schema[keyword] { subs.forEach(collect) }
            }
        }
        roots.forEach(collect)
        return all
    }
}

// MARK: - A JSON Schema validator for the subset the document uses

struct SchemaValidator {
    let document: JSONValue

    static let supported: Set<String> = [
        "$ref", "type", "enum", "const", "required", "properties", "additionalProperties", "items", "minItems", "maxItems",
        "oneOf", "anyOf", "allOf", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
        "dependentRequired",
    ]
    /// Keywords that only annotate.
    static let annotations: Set<String> = ["description", "title", "default", "examples", "format"]
    static let knownKeywords = supported.union(annotations)

    /// Every way `instance` breaks `schema`, each prefixed by where; empty when it validates.
    func errors(_ instance: JSONValue, _ schema: JSONValue, _ path: String = "$") -> [String] {
        switch schema {
        case .bool(let allowed): return allowed ? [] : ["\(path): no value is allowed here"]
        case .object: break
        default: return ["\(path): the schema is not an object: \(schema)"]
        }
        var errors: [String] = []
        if case .string(let reference)? = schema["$ref"] {
            guard reference.hasPrefix("#/"), let target = OpenAPIDocument(root: document).resolve(reference) else {
                return ["\(path): unresolved $ref \(reference)"]
            }
            errors += self.errors(instance, target, path)
        }
        if let type = schema["type"] {
            let types: [String]
            switch type {
            case .string(let name): types = [name]
            case .array(let names): types = names.compactMap(\.asString)
            default: types = []
            }
            guard types.contains(where: { Self.has(instance, type: $0) }) else {
                return errors + ["\(path): expected \(types.joined(separator: " or ")), got \(instance.kindDescription)"]
            }
        }
        if case .array(let values)? = schema["enum"], !values.contains(where: { Self.equal($0, instance) }) {
            errors.append("\(path): \(instance) is not one of \(values)")
        }
        if let value = schema["const"], !Self.equal(value, instance) {
            errors.append("\(path): \(instance) is not \(value)")
        }
        errors += objectErrors(instance, schema, path)
        if case .array(let items) = instance {
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { errors += self.errors(item, itemSchema, "\(path)[\(index)]") }
            }
            if let min = schema["minItems"]?.asInt, items.count < min { errors.append("\(path): fewer than \(min) items") }
            if let max = schema["maxItems"]?.asInt, items.count > max { errors.append("\(path): more than \(max) items") }
        }
        if case .string(let text) = instance {
            let length = text.unicodeScalars.count
            if let min = schema["minLength"]?.asInt, length < min { errors.append("\(path): shorter than \(min)") }
            if let max = schema["maxLength"]?.asInt, length > max { errors.append("\(path): longer than \(max)") }
            if case .string(let pattern)? = schema["pattern"] {
                if let regex = try? NSRegularExpression(pattern: pattern) {
                    let range = NSRange(text.startIndex..., in: text)
                    if regex.firstMatch(in: text, range: range) == nil {
                        errors.append("\(path): \"\(text)\" does not match \(pattern)")
                    }
                } else {
                    errors.append("\(path): the pattern \(pattern) does not compile")
                }
            }
        }
        if case .number(let text) = instance, let number = Double(text) {
            if let min = schema["minimum"]?.asDouble, number < min { errors.append("\(path): \(text) < \(min)") }
            if let max = schema["maximum"]?.asDouble, number > max { errors.append("\(path): \(text) > \(max)") }
            if let min = schema["exclusiveMinimum"]?.asDouble, number <= min { errors.append("\(path): \(text) <= \(min)") }
        }
        if case .array(let subs)? = schema["allOf"] {
            for sub in subs { errors += self.errors(instance, sub, path) }
        }
        if case .array(let subs)? = schema["anyOf"] {
            let results = subs.map { self.errors(instance, $0, path) }
            if !results.contains(where: \.isEmpty) {
                errors.append("\(path): matches none of anyOf: \(results.map { $0.joined(separator: "; ") })")
            }
        }
        if case .array(let subs)? = schema["oneOf"] {
            let results = subs.map { self.errors(instance, $0, path) }
            let matches = results.filter(\.isEmpty).count
            if matches == 0 {
                errors.append("\(path): matches none of oneOf: \(results.map { $0.joined(separator: "; ") })")
            } else if matches > 1 {
                errors.append("\(path): matches \(matches) branches of oneOf")
            }
        }
        return errors
    }

    private func objectErrors(_ instance: JSONValue, _ schema: JSONValue, _ path: String) -> [String] {
        guard case .object(let members) = instance else { return [] }
        var errors: [String] = []
        let keys = Set(members.map { $0.key })
        if case .array(let required)? = schema["required"] {
            for name in required.compactMap(\.asString) where !keys.contains(name) {
                errors.append("\(path): missing required \(name)")
            }
        }
        if case .object(let dependencies)? = schema["dependentRequired"] {
            for (name, needed) in dependencies where keys.contains(name) {
                for other in needed.asArray?.compactMap(\.asString) ?? [] where !keys.contains(other) {
                    errors.append("\(path): \(name) needs \(other)")
                }
            }
        }
        var declared: [String: JSONValue] = [:]
        if case .object(let properties)? = schema["properties"] {
            for property in properties { declared[property.key] = property.value }
        }
        for member in members {
            if let propertySchema = declared[member.key] {
                errors += self.errors(member.value, propertySchema, "\(path).\(member.key)")
            } else if let additional = schema["additionalProperties"] {
                if additional == .bool(false) {
                    errors.append("\(path): undocumented property \(member.key)")
                } else {
                    errors += self.errors(member.value, additional, "\(path).\(member.key)")
                }
            }
        }
        return errors
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            return true
        case ("integer", .number(let text)): return !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        default: return false
        }
    }

    /// Equality as JSON Schema means it: numbers by value.
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if case .number(let left) = lhs, case .number(let right) = rhs { return Double(left) == Double(right) }
        return lhs == rhs
    }
}
