import Engine
import Prometheus
import Store
import Synchronization

/// The service's metrics, made on its own Prometheus registry (no global metrics system, so
/// several services can run in one test process) and exported at `/metrics`; and the queue
/// depth it keeps for the ingest bound. Every series has a `# HELP` line.
final class ServiceMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let ingested: Counter
    private let batches: Counter
    private let batchFailures: Counter
    private let commitDuration: DurationHistogram
    private let depthGauge: Gauge
    private let lagGauge: Gauge
    private let reloadFailures: Counter
    private let lastSweep: Gauge
    private let leadingGauge: Gauge
    private let depth: Atomic<Int>
    private let lastReadiness = Atomic<Bool>(true)
    /// `cashback_http_requests_total`'s series met so far, by route, method and status: one
    /// lookup per request instead of the registry's (which rebuilds the name and sorts labels).
    private let answers = Mutex<[AnswerKey: Counter]>([:])

    private struct AnswerKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    init(registry: PrometheusCollectorRegistry, queueDepth: Int) {
        self.registry = registry
        ingested = registry.makeCounter(
            descriptor: Self.describe("cashback_events_ingested_total", "Events accepted into the durable queue."))
        batches = registry.makeCounter(descriptor: Self.describe("cashback_batches_total", "Scheduler batches committed."))
        batchFailures = registry.makeCounter(
            descriptor: Self.describe(
                "cashback_batch_failures_total", "Scheduler batches that failed to commit (retried after a back-off)."))
        commitDuration = registry.makeDurationHistogram(
            descriptor: Self.describe("cashback_batch_commit_seconds", "Time to claim, evaluate and commit one batch."),
            buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)])
        depthGauge = registry.makeGauge(
            descriptor: Self.describe("cashback_queue_depth", "Events accepted but not processed yet."))
        lagGauge = registry.makeGauge(
            descriptor: Self.describe("cashback_processing_lag_seconds", "How long the oldest queued event has waited."))
        reloadFailures = registry.makeCounter(
            descriptor: Self.describe(
                "cashback_rules_reload_failures_total",
                "Reloads refused because the rules had errors (the old rules kept serving)."))
        lastSweep = registry.makeGauge(
            descriptor: Self.describe(
                "cashback_last_confirmation_sweep_timestamp_seconds", "When the ledger was last swept for lines due (Unix time).")
        )
        leadingGauge = registry.makeGauge(
            descriptor: Self.describe(
                "cashback_scheduler_leading",
                "1 while this host runs the scheduler (always, on SQLite; on PostgreSQL, while it holds the lease)."))
        leadingGauge.set(Int64(1))
        depth = Atomic(queueDepth)
        depthGauge.set(Int64(queueDepth))
        // Every status from the start, at zero, so that rates and alerts see the series at once.
        for status in Decision.Status.allCases { _ = processed(status.rawValue) }
    }

    private func processed(_ status: String) -> Counter {
        registry.makeCounter(
            descriptor: Self.describe(
                "cashback_events_processed_total", "Events decided, by status (dead: set aside after a plugin kept failing)."),
            labels: [("status", status)])
    }

    /// `cashback_queue_depth` as the registry wants it: namespace, name and unit (the last word).
    static func describe(_ fullName: String, _ help: String) -> MetricNameDescriptor {
        var words = fullName.split(separator: "_").map(String.init)
        let namespace = words.removeFirst()
        let unit = words.removeLast()
        return MetricNameDescriptor(
            namespace: namespace, metricName: words.joined(separator: "_"), unitName: unit, helpText: help)
    }

    /// Events accepted but not processed yet.
    var queueDepth: Int { depth.load(ordering: .relaxed) }

    /// A group commit queued `count` events.
    func ingested(_ count: Int) {
        ingested.increment(by: Int64(count))
        depthGauge.set(Int64(depth.add(count, ordering: .relaxed).newValue))
    }

    /// The queue's depth as the store counts it (other hosts change it too, on a shared store).
    func setQueueDepth(_ count: Int) {
        depth.store(count, ordering: .relaxed)
        depthGauge.set(Int64(count))
    }

    /// Whether this host runs the scheduler now.
    func leading(_ leads: Bool) { leadingGauge.set(Int64(leads ? 1 : 0)) }

    /// A batch was committed.
    func batchCommitted(_ summary: BatchSummary, duration: Duration) {
        guard summary.claimed > 0 else { return }
        batches.increment()
        commitDuration.record(duration)
        depthGauge.set(Int64(depth.subtract(summary.claimed, ordering: .relaxed).newValue))
        for (status, count) in summary.statuses { processed(status).increment(by: Int64(count)) }
        for (currency, minorUnits) in summary.awarded {
            registry.makeCounter(
                descriptor: Self.describe(
                    "cashback_awarded_minor_units_total", "Positive cashback awarded, in minor units of each currency."),
                labels: [("currency", currency)]
            ).increment(by: Int64(minorUnits))
        }
    }

    /// Records what `/readyz` answered; whether that changed since the last answer.
    func recordReadiness(_ ready: Bool) -> Bool {
        lastReadiness.exchange(ready, ordering: .relaxed) != ready
    }

    /// A batch failed to commit (it is retried after a back-off).
    func batchFailed() { batchFailures.increment() }

    /// An HTTP request was answered.
    func answered(route: String, method: String, status: Int) {
        let key = AnswerKey(route: route, method: method, status: status)
        let counter = answers.withLock { answers in
            if let counter = answers[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: Self.describe(
                    "cashback_http_requests_total", "HTTP requests answered, by route template, method and status."),
                labels: [("route", route), ("method", method), ("status", String(status))])
            answers[key] = counter
            return counter
        }
        counter.increment()
    }

    /// A reload was refused.
    func reloadFailed() { reloadFailures.increment() }

    /// A confirmation sweep ran at `time`.
    func confirmationSwept(at time: Timestamp) { lastSweep.set(time.epochSeconds) }

    /// What is left of a partner's budget, in minor units of its currency.
    func budgetRemaining(partner: String, currency: String, minorUnits: Int) {
        registry.makeGauge(
            descriptor: Self.describe(
                "cashback_partner_budget_remaining_minor_units",
                "What is left of each partner's budget, in minor units of its currency."),
            labels: [("partner", partner), ("currency", currency)]
        ).set(Int64(minorUnits))
    }

    /// When a partner's budget runs out at its last days' pace (Unix time; 0 when it does not).
    func budgetExhaustion(partner: String, currency: String, at epochSeconds: Int64) {
        registry.makeGauge(
            descriptor: Self.describe(
                "cashback_partner_budget_projected_exhaustion_timestamp_seconds",
                "When each partner's budget runs out at the pace of its last 7 days (30 when those used none), as a Unix time; 0 when it does not run out at that pace."
            ),
            labels: [("partner", partner), ("currency", currency)]
        ).set(epochSeconds)
    }

    /// How long the oldest queued event has waited.
    func lag(seconds: Int64) { lagGauge.set(seconds) }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
