import Foundation
import Store

/// A command's exclusive right to run the scheduler on a database, for `process`: on SQLite the
/// file's lock (a second `process` or `serve` is refused); on PostgreSQL the leader's lease,
/// renewed while held (refused while another host leads).
final class SchedulerHold: Sendable {
    private let lock: DatabaseLock?
    private let renewal: Task<Void, Never>?
    private let store: PostgresStore?

    private init(lock: DatabaseLock?, renewal: Task<Void, Never>?, store: PostgresStore?) {
        self.lock = lock
        self.renewal = renewal
        self.store = store
    }

    /// Takes the right on `store`: keeps `lock` (`DatabaseArgument.lockIfFile`, taken before
    /// the store was opened) for SQLite; takes the lease on PostgreSQL, or throws a `StoreError`
    /// saying who holds it.
    static func take(_ store: any Storage, lock: DatabaseLock?) async throws -> SchedulerHold {
        guard let postgres = store as? PostgresStore else { return SchedulerHold(lock: lock, renewal: nil, store: nil) }
        // A leader that died (`kill -9`) leaves its lease to run out: wait that long for it.
        let deadline = ContinuousClock.now + .seconds(PostgresStore.leaseSeconds + 1)
        var leads = try await postgres.claimLeadership(leaseSeconds: PostgresStore.leaseSeconds)
        while !leads, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(250))
            leads = try await postgres.claimLeadership(leaseSeconds: PostgresStore.leaseSeconds)
        }
        guard leads else {
            let holder = try await postgres.leaseHolder()
            throw StoreError(
                .inUse, path: postgres.name,
                "another host leads its scheduler (\(holder?.holder ?? "unknown")); stop it first, or let `serve` hosts share it")
        }
        let renewal = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: PostgresStore.renewEvery)
                _ = try? await postgres.claimLeadership(leaseSeconds: PostgresStore.leaseSeconds)
            }
        }
        return SchedulerHold(lock: nil, renewal: renewal, store: postgres)
    }

    /// Gives the right up (on PostgreSQL, so that another host takes over at once).
    func release() async {
        renewal?.cancel()
        await store?.releaseLeadership()
        withExtendedLifetime(lock) {}
    }
}
