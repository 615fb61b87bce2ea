import Foundation

/// A PostgreSQL database named by a URL, `postgres://user:password@host:port/database` (also
/// `postgresql://`; the port defaults to 5432, the database to the user's name). User and
/// password may be percent-encoded.
package struct PostgresLocation: Sendable, Equatable {
    package let host: String
    package let port: Int
    package let username: String
    package let password: String?
    package let database: String

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    package static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `url`; `nil` when it is not a usable PostgreSQL URL.
    package init?(url text: String) {
        guard PostgresLocation.isURL(text), let components = URLComponents(string: text),
            let host = components.host, !host.isEmpty, let user = components.percentEncodedUser,
            let username = user.removingPercentEncoding, !username.isEmpty
        else { return nil }
        self.host = host
        port = components.port ?? 5432
        self.username = username
        password = components.percentEncodedPassword?.removingPercentEncoding
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
    }

    /// The URL without its password, for messages and logs.
    package var displayName: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    /// The same server and credentials, another database.
    package func database(_ name: String) -> PostgresLocation {
        PostgresLocation(host: host, port: port, username: username, password: password, database: name)
    }

    private init(host: String, port: Int, username: String, password: String?, database: String) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }
}
