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
    private let depth: Atomic<Int>
    private let lastReadiness = Atomic<Bool>(true)

    init(registry: PrometheusCollectorRegistry, queueDepth: Int) {
        self.registry = registry
        ingested = registry.makeCounter(name: "cashback_events_ingested_total", help: "Events accepted into the durable queue.")
        batches = registry.makeCounter(name: "cashback_batches_total", help: "Scheduler batches committed.")
        batchFailures = registry.makeCounter(
            name: "cashback_batch_failures_total", help: "Scheduler batches that failed to commit (retried after a back-off).")
        commitDuration = registry.makeDurationHistogram(
            name: "cashback_batch_commit_seconds", buckets: [.milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)],
            help: "Time to claim, evaluate and commit one batch.")
        depthGauge = registry.makeGauge(name: "cashback_queue_depth", help: "Events accepted but not processed yet.")
        lagGauge = registry.makeGauge(name: "cashback_processing_lag_seconds", help: "How long the oldest queued event has waited.")
        depth = Atomic(queueDepth)
        depthGauge.set(Int64(queueDepth))
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
        for (status, count) in summary.statuses {
            registry.makeCounter(
                name: "cashback_events_processed_total", labels: [("status", status)], help: "Events decided, by status."
            ).increment(by: Int64(count))
        }
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

    /// How long the oldest queued event has waited.
    func lag(seconds: Int64) { lagGauge.set(seconds) }

    /// The Prometheus text exposition.
    func exposition() -> [UInt8] { registry.emitToBuffer() }
}
