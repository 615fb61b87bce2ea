import Engine
import Foundation
import Logging

/// `--log-format json`: one JSON object per line on standard error — `time` (RFC 3339, UTC,
/// milliseconds), `level`, `label`, `message` and the metadata (dotted keys as they are).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .notice
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let extra = event.metadata { all.merge(extra) { _, new in new } }
        var writer = JSONWriter()
        writer.beginObject()
        writer.string("time", Self.timestamp())
        writer.string("level", event.level.rawValue)
        writer.string("label", label)
        writer.string("message", "\(event.message)")
        if !all.isEmpty {
            writer.beginObject("metadata")
            for (key, value) in all.sorted(by: { $0.key < $1.key }) { writer.string(key, "\(value)") }
            writer.endObject()
        }
        writer.endObject()
        FileHandle.standardError.write(Data((writer.text + "\n").utf8))
    }

    private static func timestamp() -> String {
        let now = Date().timeIntervalSince1970
        let seconds = Int64(now.rounded(.down))
        let milliseconds = Int((now - now.rounded(.down)) * 1000)
        let text = Timestamp(epochSeconds: seconds).description
        // `…T12:00:00Z` → `…T12:00:00.123Z`
        return String(text.dropLast()) + "." + String(format: "%03d", milliseconds) + "Z"
    }
}
