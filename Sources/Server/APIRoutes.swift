import Engine
import Hummingbird
import Logging
import NIOCore
import Store

/// The HTTP API of SPEC §7 over the store, the rules, ingest and the scheduler.
struct APIRoutes: Sendable {
    let store: any Storage
    let rules: RulesHolder
    let ingest: IngestService
    let metrics: ServiceMetrics
    let settings: ServeSettings
    let logger: Logger

    func router() -> Router<BasicRequestContext> {
        let router = Router(options: .autoGenerateHeadEndpoints)
        router.middlewares.add(RequestLogMiddleware(metrics: metrics))
        router.middlewares.add(APIErrorMiddleware(store: store))
        // Tokens are checked by the groups, so only a request routed to a /v1 route reaches
        // one, and every spelling of its path that the router accepts is authenticated.
        let v1 = router.group("v1").add(middleware: BearerAuthMiddleware(access: settings.apiAccess))
        v1.post("events") { request, _ in try await postEvents(request) }
            .refuseMethods(otherThan: [.post], on: "events")
        v1.get("events/:id") { _, context in try await event(try context.decodedParameter("id")) }
            .refuseMethods(otherThan: [.get], on: "events/:id")
        v1.get("accounts/:id") { _, context in try await account(try context.decodedParameter("id")) }
            .refuseMethods(otherThan: [.get], on: "accounts/:id")
        v1.get("partners") { _, _ in partners() }
            .refuseMethods(otherThan: [.get], on: "partners")
        v1.get("partners/:id/stats") { _, context in try await partnerStats(try context.decodedParameter("id")) }
            .refuseMethods(otherThan: [.get], on: "partners/:id/stats")
        v1.get("credits") { request, _ in try await credits(request) }
            .refuseMethods(otherThan: [.get], on: "credits")
        v1.group("rules").add(middleware: BearerAuthMiddleware(access: settings.adminAccess))
            .post("reload") { _, _ in try await reload() }
            .refuseMethods(otherThan: [.post], on: "reload")
        router.get("healthz") { _, _ in Response.json(#"{"status":"ok"}"#) }
            .refuseMethods(otherThan: [.get], on: "healthz")
        router.get("readyz") { _, _ in await ready() }
            .refuseMethods(otherThan: [.get], on: "readyz")
        router.get("metrics") { _, _ in await metricsText() }
            .refuseMethods(otherThan: [.get], on: "metrics")
        DashboardRoutes(store: store, rules: rules, metrics: metrics, settings: settings).add(to: router)
        return router
    }

    // MARK: ingest

    func postEvents(_ request: Request) async throws -> Response {
        try refuseOverBound(adding: 0)
        let body = try await collectBody(request)
        let events = try EventsRequestBody.events(from: Array(buffer: body), contentType: request.headers[.contentType])
        try refuseOverBound(adding: events.count)
        switch try await ingest.submit(events) {
        case .success(let counts):
            return Response.json(#"{"accepted":\#(counts.accepted),"duplicates":\#(counts.duplicates)}"#, status: .accepted)
        case .failure(let conflict):
            throw APIError(
                status: .conflict,
                message: "event \(conflict.index): id \(conflict.eventID) was accepted before with other content",
                index: conflict.index, field: "id", event: conflict.eventID)
        }
    }

    /// 503 with `Retry-After` when the queue is at its bound, or when `count` more events would
    /// take it past the bound. A request larger than the bound is taken into an empty queue
    /// (it could never be taken otherwise).
    private func refuseOverBound(adding count: Int) throws {
        let depth = metrics.queueDepth
        let bound = settings.maxQueue
        guard depth >= bound || (depth > 0 && depth + count > bound) else { return }
        let message =
            count == 0
            ? "the queue holds \(depth) events and its bound is \(bound); retry later"
            : "the queue holds \(depth) events; these \(count) would take it past its bound of \(bound); retry later"
        throw APIError(status: .serviceUnavailable, message: message, headers: [.retryAfter: "5"])
    }

    /// The request's body. One over `maxBodyBytes` is read on to its end and discarded (up to
    /// a bound), then answered 413 with `Connection: close`: a client that sends its whole body
    /// before reading (Python's urllib) gets the answer instead of a reset, and the connection
    /// is closed after it.
    private func collectBody(_ request: Request) async throws -> ByteBuffer {
        let limit = settings.maxBodyBytes
        let discardLimit = limit + max(limit, 64 << 20)
        var body = ByteBuffer()
        var received = 0
        for try await var chunk in request.body {
            received += chunk.readableBytes
            if received <= limit {
                body.writeBuffer(&chunk)
            } else if received > discardLimit {
                break
            }
        }
        guard received <= limit else {
            throw APIError(
                status: .contentTooLarge, message: "the body is larger than \(limit) bytes", headers: [.connection: "close"])
        }
        return body
    }

    // MARK: queries

    func event(_ id: String) async throws -> Response {
        guard let status = try await store.status(ofEvent: id) else {
            throw APIError(status: .notFound, message: "no event \(id) was accepted")
        }
        var text = #"{"event":"# + quoted(id) + #","status":"#
        switch status {
        case .queued: text += #""queued""#
        case .processed(let decision, let version):
            text += #""processed","rules_version":"# + quoted(version) + #","decision":"# + decision
        case .orphan(let decision): text += #""orphan","decision":"# + decision
        case .dead(let error): text += #""dead","error":"# + quoted(error)
        }
        return Response.json(text + "}")
    }

    func account(_ id: String) async throws -> Response {
        let (balances, lines) = try await store.account(id, recent: 50)
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("account", id)
        writer.beginArray("balances")
        for balance in balances {
            let currency = Currency(code: balance.currency)
            writer.beginObject()
            writer.string("currency", balance.currency)
            writer.string("pending", currency?.format(balance.pending) ?? String(balance.pending))
            writer.string("confirmed", currency?.format(balance.confirmed) ?? String(balance.confirmed))
            writer.endObject()
        }
        writer.endArray()
        writer.beginArray("recent")
        for line in lines {
            writer.beginObject()
            writer.string("event", line.eventID)
            writer.optionalString("partner", line.partner)
            writer.string("rule", line.rule)
            writer.string("currency", line.currency)
            writer.string("amount", Currency(code: line.currency)?.format(line.amount) ?? String(line.amount))
            writer.string("status", line.status)
            writer.string("occurred_at", Timestamp(epochSeconds: line.occurredAt).description)
            writer.string("rules_version", line.rulesVersion)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return Response.json(writer.text)
    }

    func partners() -> Response {
        var writer = JSONWriter()
        writer.beginObject()
        writer.beginArray("partners")
        for partner in rules.rules.partners {
            writer.beginObject()
            writer.string("id", partner.id)
            writer.string("name", partner.name)
            writer.string("currency", partner.currency?.code ?? "any")
            if let budget = partner.budget, let currency = partner.currency {
                writer.string("budget", currency.format(budget))
            } else {
                writer.null("budget")
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        return Response.json(writer.text)
    }

    func partnerStats(_ id: String) async throws -> Response {
        guard let partner = rules.rules.partners.first(where: { $0.id == id }) else {
            throw APIError(status: .notFound, message: "no partner \(id) in the rules in force")
        }
        let stats = try await store.stats(ofPartner: id)
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("partner", id)
        writer.beginArray("currencies")
        for entry in stats {
            guard let currency = Currency(code: entry.currency) else { continue }
            writer.beginObject()
            writer.string("currency", entry.currency)
            writer.partnerFigures(entry.figures, currency: currency)
            // The names the first release gave the partner's own lines.
            writer.string("cashback", currency.format(entry.figures.partnerFunded))
            writer.string("clawbacks", currency.format(entry.figures.partnerClawbacks))
            writer.endObject()
        }
        writer.endArray()
        if let standing = try await BudgetStanding.of(partner, stats: stats, now: WallClock.now, in: store) {
            let currency = standing.currency
            writer.beginObject("budget")
            writer.string("total", currency.format(standing.total))
            writer.string("used", currency.format(standing.used))
            writer.string("left", currency.format(standing.left))
            writer.string("burn_7_days", currency.format(standing.forecast.burn7Days))
            writer.string("burn_30_days", currency.format(standing.forecast.burn30Days))
            if let exhaustion = standing.forecast.projectedExhaustion {
                writer.string("projected_exhaustion", exhaustion.description)
            } else {
                writer.null("projected_exhaustion")
            }
            writer.endObject()
        } else {
            writer.null("budget")
        }
        writer.endObject()
        return Response.json(writer.text)
    }

    func credits(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        let after =
            try query["after"].map { text throws(APIError) -> Int64 in
                guard let value = Int64(text), value >= 0 else {
                    throw APIError(status: .badRequest, message: "after: expected a cursor (a whole number)", field: "after")
                }
                return value
            } ?? 0
        let limit =
            try query["limit"].map { text throws(APIError) -> Int in
                guard let value = Int(text), (1...10_000).contains(value) else {
                    throw APIError(status: .badRequest, message: "limit: expected 1-10000", field: "limit")
                }
                return value
            } ?? 100
        let credits = try await store.credits(after: after, limit: limit)
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("feed", try await store.feedID())
        writer.beginArray("credits")
        for credit in credits {
            writer.beginObject()
            writer.int("cursor", Int(credit.cursor))
            writer.string("kind", credit.kind.rawValue)
            writer.int("ledger_line", Int(credit.ledgerLine))
            writer.string("event", credit.eventID)
            if let originalID = credit.originalID { writer.string("original_id", originalID) }
            writer.string("account", credit.account)
            writer.optionalString("partner", credit.partner)
            writer.string("rule", credit.rule)
            writer.string("currency", credit.currency)
            writer.string("amount", Currency(code: credit.currency)?.format(credit.amount) ?? String(credit.amount))
            writer.string("due_at", credit.dueAt.description)
            writer.endObject()
        }
        writer.endArray()
        writer.int("next", Int(credits.last?.cursor ?? after))
        writer.endObject()
        return Response.json(writer.text)
    }

    // MARK: administration and health

    func reload() async throws -> Response {
        switch try await rules.reload(now: WallClock.now, logger: logger) {
        case .success(let ruleSet):
            return Response.json(#"{"version":"# + quoted(ruleSet.version) + "}")
        case .failure(let failure):
            throw APIError(
                status: .unprocessableContent,
                message: "the rules have \(failure.diagnostics.count) errors; the old rules keep serving",
                diagnostics: failure.diagnostics.map(\.description))
        }
    }

    func ready() async -> Response {
        let writable = await store.isWritable()
        let belowBound = metrics.queueDepth < settings.maxQueue
        let ready = writable && belowBound
        if metrics.recordReadiness(ready) {
            logger.notice(
                ready ? "ready" : "not ready",
                metadata: [
                    "store.writable": "\(writable)", "queue.depth": "\(metrics.queueDepth)",
                    "queue.bound": "\(settings.maxQueue)",
                ])
        }
        var text =
            #"{"ready":\#(ready),"rules_version":"\#(rules.rules.version)","store_writable":\#(writable),"queue_depth":\#(metrics.queueDepth),"queue_bound":\#(settings.maxQueue)"#
        if let shared = store as? any SharedStore {
            // Which host runs the scheduler: `null` while none holds a live lease.
            let holder = (try? await shared.leaseHolder()).flatMap { $0.secondsLeft > 0 ? $0.holder : nil }
            text +=
                #","host":\#(quoted(shared.hostName)),"leading":\#(shared.isLeader),"leader":\#(holder.map(quoted) ?? "null")"#
        }
        text += "}"
        return Response.json(text, status: ready ? .ok : .serviceUnavailable)
    }

    func metricsText() async -> Response {
        if let oldest = try? await store.oldestQueuedAcceptance() {
            metrics.lag(seconds: max(0, WallClock.now.epochSeconds - oldest))
        } else {
            metrics.lag(seconds: 0)
        }
        for partner in rules.rules.partners where partner.budget != nil {
            guard let stats = try? await store.stats(ofPartner: partner.id),
                let standing = try? await BudgetStanding.of(partner, stats: stats, now: WallClock.now, in: store)
            else { continue }
            let code = standing.currency.code
            metrics.budgetRemaining(partner: partner.id, currency: code, minorUnits: Int(clamping: standing.left))
            metrics.budgetExhaustion(
                partner: partner.id, currency: code, at: standing.forecast.projectedExhaustion?.epochSeconds ?? 0)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
            body: .init(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    private func quoted(_ text: String) -> String {
        var result = ""
        JSONWriter.appendString(text, to: &result)
        return result
    }
}
