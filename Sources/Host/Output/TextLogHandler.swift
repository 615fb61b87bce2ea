import Logging

/// `--log-format text`: swift-log's `StreamLogHandler` lines on standard error, with the
/// logger's metadata kept here and handed over only when a line is written. `StreamLogHandler`
/// formats its metadata again whenever an item is set, and the service sets one on every
/// request's logger (`request.id`): that cost about 2% of `serve` under load for lines that
/// are almost never written.
struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(label: String, logLevel: Logger.Level) {
        stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = logLevel
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty { event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit } }
        stream.log(event: event)
    }
}
