/// Why a store operation cannot be done, naming the database and saying what to do. Callers may
/// match the kind (`error.kind == .inUse`); it is a struct over a private enum so that kinds can
/// be added without breaking them.
package struct StoreError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, to match on.
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case missing, notCashback, newerRelease, cannotOpen, damaged, inUse, gaveUp, notLeader
        }

        private let base: Base

        /// No database file at the path (read commands never create one).
        package static let missing = Kind(base: .missing)
        /// A SQLite file that is not a cashback database, or not migrated yet.
        package static let notCashback = Kind(base: .notCashback)
        /// Migrated by a newer release than this one.
        package static let newerRelease = Kind(base: .newerRelease)
        /// SQLite or the operating system refused to open it.
        package static let cannotOpen = Kind(base: .cannotOpen)
        /// Its pages fail SQLite's checks.
        package static let damaged = Kind(base: .damaged)
        /// Another `serve` or `process` holds its lock.
        package static let inUse = Kind(base: .inUse)
        /// Commits kept failing and a batch run stopped.
        package static let gaveUp = Kind(base: .gaveUp)
        /// Another host leads the scheduler of a shared database (PostgreSQL).
        package static let notLeader = Kind(base: .notLeader)

        package var description: String { base.rawValue }
    }

    package let kind: Kind
    /// The database, as the user named it.
    package let path: String
    private let reason: String

    package init(_ kind: Kind, path: String, _ reason: String) {
        self.kind = kind
        self.path = path
        self.reason = reason
    }

    /// `cashback.sqlite: in use by another …`.
    package var description: String { "\(path): \(reason)" }
}
