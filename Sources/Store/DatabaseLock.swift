import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The one-writer lock of a database: `serve` and `process` hold it for their whole run, so a
/// second one on the same file (by any path or link) is refused with a clear message instead
/// of interleaving with the first and evaluating with other rules. It is an `flock` on the
/// database file itself, released by the kernel when the process ends, `kill -9` included.
/// (SQLite's own locks are POSIX record locks, which `flock` does not touch; the descriptor
/// stays open until the process exits, so it never drops them either.)
package final class DatabaseLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock on `path` (creating the file if needed) or throws a `StoreError` saying
    /// that another process holds it.
    package init(path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError(.cannotOpen, path: path, "cannot open the database: \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let error =
                errno == EWOULDBLOCK
                ? StoreError(
                    .inUse, path: path,
                    "in use by another `cashback serve` or `cashback process`; stop it first (one scheduler per database)")
                : StoreError(.cannotOpen, path: path, "cannot be locked: \(String(cString: strerror(errno)))")
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
    }
}
