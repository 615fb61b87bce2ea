import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// One connection to PostgreSQL, used synchronously: each query waits for its result. The store
/// runs its work on threads of its own, never on an event loop (where waiting is forbidden), so
/// the code that reads and writes a batch reads as it does on SQLite.
final class PostgresSession: Sendable {
    private let connection: PostgresConnection
    private let logger: Logger

    private static let nextID = Atomic<Int>(1)

    private init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Connects to `location`. Waits: not to be called on an event loop.
    static func connect(to location: PostgresLocation, logger: Logger) throws -> PostgresSession {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(5)
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let connection = try PostgresConnection.connect(
            on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration, id: id, logger: logger
        ).wait()
        return PostgresSession(connection: connection, logger: logger)
    }

    /// Whether the connection is gone (the server closed it, or the network failed).
    var isClosed: Bool { connection.isClosed }

    /// Runs one statement with `values` bound to `$1`, `$2`… and returns its rows.
    @discardableResult
    func rows(_ sql: String, _ values: [BoundValue] = []) throws -> [PostgresRow] {
        try run(sql, values).rows
    }

    /// Runs one statement with `values` bound to `$1`, `$2`… and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ values: [BoundValue] = []) throws -> Int {
        try run(sql, values).metadata.rows ?? 0
    }

    private func run(_ sql: String, _ values: [BoundValue]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let integer): binds.append(integer)
            case .text(let text): binds.append(text)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            case .null: binds.appendNull()
            case .texts(let texts): binds.append(texts)
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
        } catch {
            throw PostgresFailure(error)
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        let result: T
        do {
            result = try body()
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
        try execute("COMMIT")
        return result
    }

    /// Closes the connection (waiting for it, unless on its event loop).
    func close() {
        guard !connection.isClosed else { return }
        if connection.eventLoop.inEventLoop {
            connection.close().whenComplete { _ in }
        } else {
            try? connection.close().wait()
        }
    }

    deinit { close() }
}

extension PostgresRow {
    /// Column `index` decoded as `type`.
    func column<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        do {
            return try makeRandomAccess()[index].decode(T.self)
        } catch {
            throw PostgresFailure(error)
        }
    }

    /// Column `index` as bytes (`bytea`).
    func bytes(_ index: Int) throws -> [UInt8] {
        var buffer = try makeRandomAccess()[index].decode(ByteBuffer.self)
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }
}

/// A failure PostgreSQL or the connection reported, described in full: the driver's own
/// description leaves the server's message out.
struct PostgresFailure: Error, CustomStringConvertible {
    let description: String
    /// Whether the server's or the network's state caused it (a query may succeed later), rather
    /// than stored data that does not decode.
    let isTransient: Bool

    init(_ error: any Error) {
        if let error = error as? PSQLError {
            let server = error.serverInfo
            description = [server?[.sqlState].map { "[\($0)]" }, server?[.message], server == nil ? "\(error.code)" : nil]
                .compactMap { $0 }.joined(separator: " ")
            isTransient = true
        } else {
            description = String(reflecting: error)
            isTransient = false
        }
    }
}
