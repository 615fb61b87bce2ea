import Foundation
import HummingbirdCore
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Caps the open connections: at the cap the server stops accepting (new connections wait in
/// the listen backlog) until one closes, so idle sockets cannot exhaust the process's file
/// descriptors. Reaching the cap, and leaving it, are logged once each time.
struct ConnectionLimit: AvailableConnectionsDelegate {
    let maximum: Int
    let logger: Logger
    private var open = 0
    private var atCap = false

    init(maximum: Int, logger: Logger) {
        self.maximum = maximum
        self.logger = logger
    }

    mutating func connectionOpened() {
        open += 1
        if open >= maximum && !atCap {
            atCap = true
            logger.warning(
                "connection cap reached; new connections wait until one closes",
                metadata: ["connections.open": "\(open)", "connections.max": "\(maximum)"])
        }
    }

    mutating func connectionClosed() {
        open -= 1
        if atCap && open < maximum {
            atCap = false
            logger.notice("below the connection cap again", metadata: ["connections.open": "\(open)"])
        }
    }

    func isAcceptingNewConnections() -> Bool { open < maximum }

    /// Descriptors kept for everything but connections: the database and its WAL, the listening
    /// socket, the rules files during a reload, standard streams.
    static let reservedDescriptors = 64

    /// A limit of `requested` connections that the process's file descriptors can hold: raises the
    /// soft `RLIMIT_NOFILE` to the hard one, then lowers the cap (with a warning) if it still
    /// does not fit.
    static func fitting(_ requested: Int, logger: Logger) -> ConnectionLimit {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else {
            return ConnectionLimit(maximum: requested, logger: logger)
        }
        if limits.rlim_cur < limits.rlim_max {
            limits.rlim_cur = limits.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits)
        }
        let available = Int(clamping: limits.rlim_cur) - reservedDescriptors
        let maximum = max(1, min(requested, available))
        if maximum < requested {
            logger.warning(
                "--max-connections lowered to fit the open-file limit (raise LimitNOFILE)",
                metadata: [
                    "connections.max": "\(maximum)", "connections.requested": "\(requested)",
                    "process.nofile": "\(limits.rlim_cur)",
                ])
        }
        return ConnectionLimit(maximum: maximum, logger: logger)
    }
}
