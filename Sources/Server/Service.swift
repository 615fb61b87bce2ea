import Engine
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import Store

/// Builds the service of `cashback serve` over an open store: the HTTP API, ingest, the master
/// scheduler, confirmations and SIGHUP reloads. Its services start in dependency order and stop
/// in the reverse one: the server stops taking requests, ingest commits what it holds, then the
/// scheduler commits its batch. Tests run it in process with HummingbirdTesting.
///
/// - Parameters:
///   - rules: the rules in force, loaded from `rulesDirectory` (reloads read it again).
///   - onServerRunning: told the bound port (port 0 picks a free one).
package func buildApplication(
    settings: ServeSettings, store: any Storage, rules: RuleSet, rulesDirectory: String, registry: PluginRegistry,
    logger: Logger, onServerRunning: @escaping @Sendable (Int) -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let serviceMetrics = ServiceMetrics(registry: PrometheusCollectorRegistry(), queueDepth: try await store.queueDepth())
    let holder = RulesHolder(rules: rules, directory: rulesDirectory, registry: registry, store: store, metrics: serviceMetrics)
    let scheduler = SchedulerService(
        store: store, rules: holder, workers: settings.workers, batchSize: settings.batchSize, metrics: serviceMetrics,
        logger: logger)
    let ingest = IngestService(store: store, logger: logger) { queued in
        serviceMetrics.ingested(queued)
        scheduler.eventsArrived()
    }
    let routes = APIRoutes(
        store: store, rules: holder, ingest: ingest, metrics: serviceMetrics, settings: settings, logger: logger)
    let bodyTimeout = TimeAmount(settings.bodyTimeout)
    return Application(
        router: routes.router(),
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [ConnectionGuardHandler(bodyTimeout: bodyTimeout)],
                idleTimeout: TimeAmount(settings.idleTimeout))),
        configuration: .init(
            address: .hostname(settings.host, port: settings.port), serverName: "cashback", backlog: settings.listenBacklog,
            availableConnectionsDelegate: ConnectionLimit.fitting(settings.maxConnections, logger: logger)),
        services: [
            scheduler,
            ConfirmationService(store: store, interval: settings.confirmInterval, metrics: serviceMetrics, logger: logger),
            ingest,
            HangupReloadService(rules: holder, logger: logger),
        ],
        onServerRunning: { channel in onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: logger)
}
