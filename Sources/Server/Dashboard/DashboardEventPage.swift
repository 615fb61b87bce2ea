import Engine
import Reports
import Store

/// `/dashboard/events?id=ID`: where an accepted event is, and for a processed one its decision
/// and the trace recorded when it was evaluated (why each rule paid, or did not).
struct DashboardEventPage {
    let store: any Storage

    func page(lookingUp id: String?) async throws -> DashboardPage {
        var body = """
            <form method=get action="/dashboard/events">
            <label>Event id <input name=id value="\(HTMLText.escape(id ?? ""))" required></label> <button>Look up</button>
            </form>

            """
        guard let id, !id.isEmpty else { return DashboardPage(title: "Event lookup", body: body) }
        let name = "<code>\(HTMLText.escape(id))</code>"
        switch try await store.status(ofEvent: id) {
        case nil:
            body += "<p id=status data-status=none>No event \(name) was accepted.</p>\n"
        case .queued:
            body += "<p id=status data-status=queued>Event \(name) is queued: accepted, not processed yet.</p>\n"
        case .processed(let decision, let version):
            body += "<p id=status data-status=processed>Event \(name) was processed under rules version "
            body += "<code>\(HTMLText.escape(version))</code>.</p>\n" + (try Self.decision(decision))
        case .orphan(let decision):
            body += "<p id=status data-status=orphan>Event \(name) is a refund or reversal whose payment was not seen; "
            body += "it is settled if that payment arrives.</p>\n" + (try Self.decision(decision))
        case .dead(let error):
            body += "<p id=status data-status=dead>Event \(name) is dead: its evaluation failed every time it was tried "
            body += "(<code>cashback dead</code> lists and retries such events).</p>\n"
            body += "<p class=error>\(HTMLText.escape(error))</p>\n"
        }
        return DashboardPage(title: "Event \(id)", body: body)
    }

    /// A stored decision: its members, then its trace as the explanation.
    static func decision(_ text: String) throws -> String {
        guard case .object(let members) = try JSONParser.parse(text) else { return "<pre>\(HTMLText.escape(text))</pre>\n" }
        var html = "<h2>Decision</h2>\n<div id=decision>"
        html += JSONHTML.render(.object(members.filter { $0.key != "trace" })) + "</div>\n<h2>Explanation</h2>\n"
        if let trace = members.last(where: { $0.key == "trace" })?.value {
            html += "<div id=trace>" + JSONHTML.render(trace) + "</div>\n"
        } else {
            html += "<p>No trace was recorded for this decision.</p>\n"
        }
        return html
    }
}
