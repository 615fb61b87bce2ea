import Engine
import GRDB

/// What a database check found.
package enum CheckOutcome: Sendable {
    case passed
    case damaged(StoreError)
}

extension SQLiteStore {
    /// The outcome of the background check, once it finished (see `startBackgroundCheck`).
    package var checkOutcome: CheckOutcome? { backgroundCheck.withLock { $0 } }

    /// What the background check found wrong with the file, if anything.
    package var damage: StoreError? {
        guard case .damaged(let error) = checkOutcome else { return nil }
        return error
    }

    /// Checks the database (`check()`) in the background, then calls `finished`. Once it found
    /// damage, the store takes no more writes: enqueueing and processing throw the damage, and
    /// `isWritable()` is false.
    package func startBackgroundCheck(then finished: @escaping @Sendable (CheckOutcome) -> Void) {
        Task.detached {
            let outcome: CheckOutcome
            do {
                try self.check()
                outcome = .passed
            } catch let error as StoreError {
                outcome = .damaged(error)
            } catch {
                outcome = .damaged(StoreError(.damaged, path: self.path, "the database could not be checked: \(error)"))
            }
            self.backgroundCheck.withLock { $0 = outcome }
            finished(outcome)
        }
    }

    /// Throws the damage the background check found.
    func refuseWritesIfDamaged() throws {
        if let damage { throw damage }
    }
}
