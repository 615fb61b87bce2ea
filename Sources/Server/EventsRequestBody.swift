import Engine
import Hummingbird
import Store

/// The body of `POST /v1/events`: one JSON object, a JSON array of them, or JSON Lines
/// (`application/x-ndjson`). Every event is validated before anything is stored.
enum EventsRequestBody {
    /// The events of a body, or the error naming the first bad event's index and field.
    static func events(from bytes: [UInt8], contentType: String?) throws(APIError) -> [IncomingEvent] {
        let values: [JSONValue]
        if contentType?.lowercased().hasPrefix("application/x-ndjson") == true {
            values = try lines(bytes)
        } else {
            let value: JSONValue
            do {
                value = try JSONParser.parse(bytes)
            } catch {
                throw APIError(status: .badRequest, message: "not valid JSON: \(error.message) at byte \(error.offset)")
            }
            if case .array(let items) = value { values = items } else { values = [value] }
        }
        guard !values.isEmpty else { throw APIError(status: .badRequest, message: "no events in the body") }
        var events: [IncomingEvent] = []
        events.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            switch EventParser.parse(json: value) {
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

    private static func lines(_ bytes: [UInt8]) throws(APIError) -> [JSONValue] {
        var values: [JSONValue] = []
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { continue }
            do {
                values.append(try JSONParser.parse(line))
            } catch {
                throw APIError(
                    status: .badRequest,
                    message: "line \(lineNumber): not valid JSON: \(error.message) at column \(error.offset + 1)",
                    index: values.count)
            }
        }
        return values
    }
}
