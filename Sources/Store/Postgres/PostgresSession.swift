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
            database: location.database, tls: try location.connectionTLS())
        configuration.options.connectTimeout = .seconds(5)
        // A frozen leader must not hold the lease row's lock (and so every takeover) for long:
        // the server ends a session left idle inside a transaction.
        configuration.options.additionalStartupParameters = [("idle_in_transaction_session_timeout", "5000")]
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

    /// Runs one statement with `columns` bound to `$1`, `$2`… and returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, columns: [PostgresColumnArray]) throws -> Int {
        var binds = PostgresBindings(capacity: columns.count)
        for column in columns { binds.append(column) }
        return try run(sql, binds).metadata.rows ?? 0
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
            case .integers(let integers): binds.append(integers)
            }
        }
        return try run(sql, binds)
    }

    private func run(_ sql: String, _ binds: PostgresBindings) throws -> PostgresQueryResult {
        do {
            return try answer(to: connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
        } catch {
            throw PostgresFailure(error)
        }
    }

    /// How long a statement may go unanswered before its connection is given up.
    static let answerDeadline = Duration.seconds(60)

    /// Waits for `future`, but not for ever: a connection that closed (the server ended it, the
    /// network failed) fails its statement within a quarter of a second even when the driver
    /// leaves it pending, and a statement unanswered past `answerDeadline` closes the connection.
    private func answer<Value: Sendable>(to future: EventLoopFuture<Value>) throws -> Value {
        let answered = DispatchSemaphore(value: 0)
        let result = Mutex<Result<Value, any Error>?>(nil)
        future.whenComplete { outcome in
            result.withLock { $0 = outcome }
            answered.signal()
        }
        let deadline = ContinuousClock.now + PostgresSession.answerDeadline
        while answered.wait(timeout: .now() + .milliseconds(250)) == .timedOut {
            if connection.isClosed { throw PostgresSessionClosed(reason: "the connection to PostgreSQL closed") }
            if ContinuousClock.now > deadline {
                connection.close().whenComplete { _ in }
                throw PostgresSessionClosed(reason: "PostgreSQL did not answer within \(PostgresSession.answerDeadline)")
            }
        }
        guard let outcome = result.withLock({ $0 }) else { preconditionFailure("answered without a result") }
        return try outcome.get()
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

/// A statement left without an answer: its connection closed, or stayed silent too long.
struct PostgresSessionClosed: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}

/// A failure PostgreSQL or the connection reported, described in full: the driver's own
/// description leaves the server's message out.
struct PostgresFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        if let error = error as? PostgresFailure {
            description = error.description
        } else if let error = error as? PostgresSessionClosed {
            description = error.reason
        } else if let error = error as? PSQLError,
            String(describing: error.underlying.map { $0 } ?? error).contains("CERTIFICATE_VERIFY_FAILED")
        {
            description =
                "the server's certificate does not verify: no authority of sslrootcert vouches for it, or it names another host"
        } else if let error = error as? PSQLError, error.code == .sslUnsupported {
            description = "the server does not accept TLS, which sslmode asks for"
        } else if let error = error as? PSQLError, let server = error.serverInfo {
            description = [server[.sqlState].map { "[\($0)]" }, server[.message]].compactMap { $0 }.joined(separator: " ")
        } else if let error = error as? PSQLError {
            description = error.underlying.map { "\(error.code): \($0)" } ?? "\(error.code)"
        } else {
            description = String(reflecting: error)
        }
    }
}
