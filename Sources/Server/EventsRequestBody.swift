import Engine
import Hummingbird
import Store

/// The body of `POST /v1/events`: one JSON object, a JSON array of them, or JSON Lines
/// (`application/x-ndjson`). Every event is validated before anything is stored.
enum EventsRequestBody {
    /// One event of a body: read straight from its bytes when it has the usual shape
    /// (`EventParser.parseUsualShape`), else parsed as JSON and checked after every event of
    /// the body was found to be valid JSON.
    private enum Item {
        case read(Result<Event, EventError>)
        case json(JSONValue)

        var event: Result<Event, EventError> {
            switch self {
            case .read(let result): result
            case .json(let value): EventParser.parse(json: value)
            }
        }
    }

    /// The events of a body, or the error naming the first bad event's index and field.
    static func events(from bytes: [UInt8], contentType: String?) throws(APIError) -> [IncomingEvent] {
        let items: [Item]
        if contentType?.lowercased().hasPrefix("application/x-ndjson") == true {
            items = try lines(bytes)
        } else if let read = bytes.withUnsafeBufferPointer(EventParser.parseUsualShape) {
            items = [.read(read)]
        } else {
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                throw APIError(status: .badRequest, message: "not valid JSON: \(error.message) at byte \(error.offset)")
            }
            if case .array(let values) = value { items = values.map(Item.json) } else { items = [.json(value)] }
        }
        guard !items.isEmpty else { throw APIError(status: .badRequest, message: "no events in the body") }
        var events: [IncomingEvent] = []
        events.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch item.event {
            case .success(let event):
                events.append(IncomingEvent(event: event, origin: EventOrigin()))
            case .failure(let error):
                throw APIError(
                    status: .badRequest, message: "event \(index): \(error)", index: index, field: error.field,
                    event: error.eventID)
            }
        }
        return events
    }

    private static func lines(_ bytes: [UInt8]) throws(APIError) -> [Item] {
        var items: [Item] = []
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            if let read = line.withContiguousStorageIfAvailable(EventParser.parseUsualShape), let read {
                items.append(.read(read))
                continue
            }
            do {
                items.append(.json(try JSONParser.parse(line)))
            } catch {
                throw APIError(
                    status: .badRequest,
                    message: "line \(lineNumber): not valid JSON: \(error.message) at column \(error.offset + 1)",
                    index: items.count)
            }
        }
        return items
    }
}
