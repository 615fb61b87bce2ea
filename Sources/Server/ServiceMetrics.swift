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
    private let depth: Atomic<Int>
    private let lastReadiness = Atomic<Bool>(true)

    init(registry: PrometheusCollectorRegistry, queueDepth: Int) {
        self.registry = registry
        ingested = registry.makeCounter(name: "cashback_events_ingested_total", help: "Events accepted into the durable queue.")
        batches = registry.makeCounter(name: "cashback_batches_total", help: "Scheduler batches committed.")
        batchFailures = registry.makeCounter(
            name: "cashback_batch_failures_total", help: "Scheduler batches that failed to commit (retried after a back-off).")
        commitDuration = registry.makeDurationHistogram(
            name: "cashback_batch_commit_seconds",
            buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)],
            help: "Time to claim, evaluate and commit one batch.")
        depthGauge = registry.makeGauge(name: "cashback_queue_depth", help: "Events accepted but not processed yet.")
        lagGauge = registry.makeGauge(
            name: "cashback_processing_lag_seconds", help: "How long the oldest queued event has waited.")
        reloadFailures = registry.makeCounter(
            name: "cashback_rules_reload_failures_total",
            help: "Reloads refused because the rules had errors (the old rules kept serving).")
        lastSweep = registry.makeGauge(
            name: "cashback_last_confirmation_sweep_timestamp_seconds",
            help: "When the ledger was last swept for lines due (Unix time).")
        depth = Atomic(queueDepth)
        depthGauge.set(Int64(queueDepth))
        // Every status from the start, at zero, so that rates and alerts see the series at once.
        for status in Decision.Status.allCases { _ = processed(status.rawValue) }
    }

    private func processed(_ status: String) -> Counter {
        registry.makeCounter(
            name: "cashback_events_processed_total", labels: [("status", status)],
            help: "Events decided, by status (dead: set aside after a plugin kept failing).")
    }

    /// Events accepted but not processed yet.
    var queueDepth: Int { depth.load(ordering: .relaxed) }

    /// A group commit queued `count` events.
    func ingested(_ count: Int) {
        ingested.increment(by: Int64(count))
        depthGauge.set(Int64(depth.add(count, ordering: .relaxed).newValue))
    }

    /// A batch was committed.
    func batchCommitted(_ summary: BatchSummary, duration: Duration) {
        guard summary.claimed > 0 else { return }
        batches.increment()
        commitDuration.record(duration)
        depthGauge.set(Int64(depth.subtract(summary.claimed, ordering: .relaxed).newValue))
        for (status, count) in summary.statuses { processed(status).increment(by: Int64(count)) }
        for (currency, minorUnits) in summary.awarded {
            registry.makeCounter(
                name: "cashback_awarded_minor_units_total", labels: [("currency", currency)],
                help: "Positive cashback awarded, in minor units of each currency."
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
        registry.makeCounter(
            name: "cashback_http_requests_total", labels: [("route", route), ("method", method), ("status", String(status))],
            help: "HTTP requests answered, by route template, method and status."
        ).increment()
    }

    /// A reload was refused.
    func reloadFailed() { reloadFailures.increment() }

    /// A confirmation sweep ran at `time`.
    func confirmationSwept(at time: Timestamp) { lastSweep.set(time.epochSeconds) }

    /// What is left of a partner's budget, in minor units of its currency.
    func budgetRemaining(partner: String, currency: String, minorUnits: Int) {
        registry.makeGauge(
            name: "cashback_partner_budget_remaining_minor_units", labels: [("partner", partner), ("currency", currency)],
            help: "What is left of each partner's budget, in minor units of its currency."
        ).set(Int64(minorUnits))
    }

    /// How long the oldest queued event has waited.
    func lag(seconds: Int64) { lagGauge.set(seconds) }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
