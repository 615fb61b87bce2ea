/// One line of input to evaluation: a valid event, or the reason it is invalid.
public enum EventInput: Sendable {
    case event(Event, EventOrigin)
    case invalid(EventError, EventOrigin)
}
