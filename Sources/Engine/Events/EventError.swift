/// Why an event is invalid: the field at fault and what was wrong with it.
public struct EventError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field path, e.g. `amount` or `merchant.siret`; `(event)` for the whole event.
    public let field: String
    public let message: String
    /// The event's id, when the event has a valid one.
    public let eventID: String?

    public init(field: String, message: String, eventID: String? = nil) {
        self.field = field
        self.message = message
        self.eventID = eventID
    }

    /// `merchant.siret: expected 14 digits`.
    public var description: String { "\(field): \(message)" }
}
