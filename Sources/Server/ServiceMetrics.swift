import Engine
import Store
import Metrics
import Prometheus
import Synchronization

/// The service's metrics (swift-metrics, exported in Prometheus format at `/metrics`), and the
/// queue depth it keeps for the ingest bound.
package final class ServiceMetrics: Sendable {
    package let registry: PrometheusCollectorRegistry
    private let ingested = Counter(label: "cashback_events_ingested_total")
    private let batchSize = Recorder(label: "cashback_batch_size")
    private let commitDuration = Timer(label: "cashback_batch_commit_seconds", preferredDisplayUnit: .seconds)
    private let depthGauge = Gauge(label: "cashback_queue_depth")
    private let lagGauge = Gauge(label: "cashback_processing_lag_seconds")
    private let batchFailures = Counter(label: "cashback_batch_failures_total")
    private let depth: Atomic<Int>

    package init(registry: PrometheusCollectorRegistry, queueDepth: Int) {
        self.registry = registry
        self.depth = Atomic(queueDepth)
        depthGauge.record(queueDepth)
    }

    /// Events accepted but not processed yet.
    package var queueDepth: Int { depth.load(ordering: .relaxed) }

    /// A group commit queued `count` events.
    package func ingested(_ count: Int) {
        ingested.increment(by: count)
        depthGauge.record(depth.add(count, ordering: .relaxed).newValue)
    }

    /// A batch was committed.
    package func batchCommitted(_ summary: BatchSummary, duration: Duration) {
        guard summary.claimed > 0 else { return }
        batchSize.record(summary.claimed)
        commitDuration.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
        depthGauge.record(depth.subtract(summary.claimed, ordering: .relaxed).newValue)
        for (status, count) in summary.statuses {
            Counter(label: "cashback_events_processed_total", dimensions: [("status", status)]).increment(by: count)
        }
        for (currency, minorUnits) in summary.awarded {
            Counter(label: "cashback_awarded_minor_units_total", dimensions: [("currency", currency)]).increment(by: minorUnits)
        }
    }

    /// A batch failed to commit (it is retried after a back-off).
    package func batchFailed() { batchFailures.increment() }

    /// How long the oldest queued event has waited.
    package func lag(seconds: Int64) { lagGauge.record(seconds) }

    /// The Prometheus text exposition.
    package func exposition() -> [UInt8] { registry.emitToBuffer() }
}
