import GRDB

extension SQLiteStore {
    /// Why the store cannot take writes right now, when `error` says so: the disk is full,
    /// an I/O error, the file became read-only, the database stayed locked, or a background
    /// check found it damaged. The caller answers "retry later" (HTTP 503) and nothing was
    /// written.
    package func transientUnavailability(of error: any Error) -> String? {
        if let error = error as? StoreError, error.kind == .damaged {
            return "the database is damaged; an operator must restore it (see the service's log)"
        }
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL: return "the disk holding the database is full"
        case .SQLITE_IOERR: return "the database file cannot be written (I/O error)"
        case .SQLITE_READONLY: return "the database file is read-only"
        case .SQLITE_BUSY, .SQLITE_LOCKED: return "the database stayed locked"
        default: return nil
        }
    }
}
