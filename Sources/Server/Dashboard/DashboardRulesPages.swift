import Engine
import Foundation
import Reports
import Store

/// `/dashboard/rules`: the rules versions the store recorded, and `/dashboard/rules/diff`: what
/// changed in the files between two of them, from their recorded snapshots.
struct DashboardRulesPages {
    let store: any Storage
    /// The version the service evaluates with now.
    let inForce: String

    func list() async throws -> DashboardPage {
        let versions = try await store.rulesVersions()
        var body = "<p>Every rules version this database recorded, the oldest first. "
        body += "A version is the hash of its files' contents.</p>\n"
        body += "<table id=versions>\n<tr><th>Version</th><th>First in force</th><th></th></tr>\n"
        for (index, recorded) in versions.enumerated() {
            let version = HTMLText.escape(recorded.version)
            body += "<tr data-version=\"\(version)\"><td><code>\(version)</code>"
            body += recorded.version == inForce ? " (in force)</td>" : "</td>"
            body += "<td>\(recorded.recordedAt)</td><td>"
            if index > 0 {
                body += "<a href=\"\(Self.differencePath(versions[index - 1].version, recorded.version))\">"
                body += "changes from the version before</a>"
            }
            body += "</td></tr>\n"
        }
        body += "</table>\n"
        if versions.count > 1 {
            let options = { (selected: String) in
                versions.map { recorded in
                    let version = HTMLText.escape(recorded.version)
                    return "<option value=\"\(version)\"\(recorded.version == selected ? " selected" : "")>\(version)</option>"
                }.joined()
            }
            body += """
                <h2>Compare two versions</h2>
                <form method=get action="/dashboard/rules/diff">
                <label>From <select name=from>\(options(versions[versions.count - 2].version))</select></label>
                <label>to <select name=to>\(options(versions[versions.count - 1].version))</select></label>
                <button>Compare</button>
                </form>

                """
        }
        return DashboardPage(title: "Rules versions", body: body)
    }

    /// The files added, removed and changed from version `from` to version `to`.
    func difference(from: String?, to: String?) async throws -> DashboardPage {
        guard let from, let to, !from.isEmpty, !to.isEmpty else {
            throw APIError(status: .badRequest, message: "name two versions: from and to")
        }
        let old = try await snapshot(from)
        let new = try await snapshot(to)
        var body = "<p>From <code>\(HTMLText.escape(from))</code> to <code>\(HTMLText.escape(to))</code>.</p>\n"
        let paths = Set(old.keys).union(new.keys).sorted()
        var changed = 0
        for path in paths {
            let diff = LineDiff(from: old[path] ?? "", to: new[path] ?? "")
            guard diff.hasChanges else { continue }
            changed += 1
            let state = old[path] == nil ? "added" : new[path] == nil ? "removed" : "changed"
            body += "<h2 data-file=\"\(HTMLText.escape(path))\" data-change=\(state)>"
            body += "<code>\(HTMLText.escape(path))</code> \(state)</h2>\n<pre class=diff>"
            for line in diff.hunks() {
                switch line {
                case .same(let text): body += "<span>  \(HTMLText.escape(text))</span>"
                case .removed(let text): body += "<del>- \(HTMLText.escape(text))</del>"
                case .added(let text): body += "<ins>+ \(HTMLText.escape(text))</ins>"
                case nil: body += "<span>…</span>"
                }
            }
            body += "</pre>\n"
        }
        body += "<p id=summary>\(changed) of \(paths.count) files changed.</p>\n"
        return DashboardPage(title: "Rules changes", body: body)
    }

    /// The path of the difference between two versions.
    static func differencePath(_ from: String, _ to: String) -> String {
        "/dashboard/rules/diff?from=\(queryValue(from))&to=\(queryValue(to))"
    }

    private static func queryValue(_ text: String) -> String {
        HTMLText.escape(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    /// A recorded version's files by path.
    private func snapshot(_ version: String) async throws -> [String: String] {
        guard let files = try await store.rulesSnapshot(version) else {
            throw APIError(status: .notFound, message: "no rules version \(version) with recorded files in this database")
        }
        return Dictionary(files.map { ($0.relativePath, $0.text) }, uniquingKeysWith: { $1 })
    }
}
