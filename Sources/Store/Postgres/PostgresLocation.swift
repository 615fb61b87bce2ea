import Foundation

/// A PostgreSQL database named by a URL, `postgres://user:password@host:port/database` (also
/// `postgresql://`; the port defaults to 5432, the database to the user's name). User and
/// password may be percent-encoded. As with libpq, `?sslmode=` says how the connection is
/// encrypted (`prefer` unless told) and `sslrootcert=` names the certificates that vouch for
/// the server (the system's unless told).
package struct PostgresLocation: Sendable, Equatable {
    package let host: String
    package let port: Int
    package let username: String
    package let password: String?
    package private(set) var database: String
    package let tls: TLSMode
    /// A PEM file of the certificate authorities the server's certificate must chain to.
    package let rootCertificates: String?

    /// libpq's `sslmode`s.
    package enum TLSMode: String, Sendable {
        /// Never encrypt.
        case disable
        /// Encrypt when the server can, without checking its certificate.
        case prefer
        /// Always encrypt; check the certificate only when `sslrootcert` is given (as
        /// `verifyCA` then).
        case require
        /// Always encrypt, with a certificate from a trusted authority (any name).
        case verifyCA = "verify-ca"
        /// Always encrypt, with a certificate from a trusted authority for the host's name.
        case verifyFull = "verify-full"
    }

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
        var tls = TLSMode.prefer
        var rootCertificates: String?
        for item in components.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("sslmode", let value?):
                guard let mode = TLSMode(rawValue: value) else { return nil }
                tls = mode
            case ("sslrootcert", let value?) where !value.isEmpty: rootCertificates = value
            default: return nil
            }
        }
        self.host = host
        port = components.port ?? 5432
        self.username = username
        password = components.percentEncodedPassword?.removingPercentEncoding
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? username : path
        self.tls = tls
        self.rootCertificates = rootCertificates
    }

    /// The URL without its password, for messages and logs.
    package var displayName: String { "postgres://\(username)@\(host):\(port)/\(database)" }

    /// The same server and credentials, another database.
    package func database(_ name: String) -> PostgresLocation {
        var location = self
        location.database = name
        return location
    }
}
