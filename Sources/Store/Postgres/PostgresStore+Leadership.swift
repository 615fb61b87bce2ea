import Engine
import Foundation

/// The lease this host won: its fencing token. Every batch transaction of the leader checks,
/// under the lease row's lock, that the token is still the table's: once another host took
/// over (and so raised the token), a leader that was frozen or cut off commits nothing more.
struct Leadership: Sendable, Equatable {
    let token: Int64
}

/// Who holds the scheduler's lease.
package struct LeaseHolder: Sendable, Equatable {
    package let holder: String
    package let token: Int64
    /// Seconds until the lease expires (negative once it has).
    package let secondsLeft: Double
}

extension PostgresStore {
    /// Takes the lease for `seconds` when it is free or expired, or renews it when this host
    /// holds it; returns whether this host leads now. The lease's times are the database's
    /// clock, so hosts' clocks may disagree. A new lease gets a new token, and the evaluation
    /// state cached under the old one is forgotten (another leader may have written since).
    package func claimLeadership(leaseSeconds seconds: Double) async throws -> Bool {
        let held = leadership.withLock { $0 }
        let won = try await withSession { [hostName] session -> Int64? in
            if let held {
                let renewed = try session.rows(
                    """
                    UPDATE leadership SET expires_at = now() + make_interval(secs => $1::float8 / 1000)
                    WHERE only_row AND token = $2 AND holder = $3 RETURNING token
                    """, [.integer(Int64(seconds * 1000)), .integer(held.token), .text(hostName)])
                if !renewed.isEmpty { return held.token }
            }
            return try session.rows(
                """
                UPDATE leadership SET token = token + 1, holder = $2,
                                      expires_at = now() + make_interval(secs => $1::float8 / 1000)
                WHERE only_row AND (expires_at IS NULL OR expires_at < now()) RETURNING token
                """, [.integer(Int64(seconds * 1000)), .text(hostName)]
            ).first?.column(0, as: Int64.self)
        }
        let leads = won.map(Leadership.init)
        // A new token (or none) and the state read under the old one are forgotten together,
        // under the state lock that evaluation holds while it reads the token.
        stateLock.withLock {
            let changed = leadership.withLock { current in
                defer { current = leads }
                return current != leads
            }
            if changed {
                stateCache.removeAll()
                pipeline.discard()
            }
        }
        return leads != nil
    }

    /// Gives the lease up (at a clean stop), so that another host takes over at once.
    package func releaseLeadership() async {
        guard
            let held = leadership.withLock({ current in
                defer { current = nil }
                return current
            })
        else { return }
        forgetState()
        _ = try? await withSession { [hostName] session in
            try session.execute(
                "UPDATE leadership SET expires_at = now() WHERE only_row AND token = $1 AND holder = $2",
                [.integer(held.token), .text(hostName)])
        }
    }

    /// Who holds the lease now, if anyone ever did.
    package func leaseHolder() async throws -> LeaseHolder? {
        try await withSession { session in
            try session.rows(
                """
                SELECT holder, token, EXTRACT(EPOCH FROM expires_at - now())::float8 FROM leadership
                WHERE only_row AND holder IS NOT NULL
                """
            ).first.map {
                LeaseHolder(
                    holder: try $0.column(0), token: try $0.column(1), secondsLeft: try $0.column(2, as: Double.self))
            }
        }
    }

    /// Whether this host leads (as far as it knows: its last claim or renewal).
    package var isLeader: Bool { leadership.withLock { $0 != nil } }

    /// Checks, inside a batch's transaction, that the lease's token is still `token`, the one
    /// this host held when it read the batch's state, and locks the lease row until the
    /// transaction ends (a takeover waits for it).
    func checkLeadership(in session: PostgresSession, readUnder token: Int64?) throws {
        guard let token, leadership.withLock({ $0?.token }) == token else { throw notLeading() }
        let current = try session.rows("SELECT token FROM leadership WHERE only_row FOR UPDATE").first?.column(0, as: Int64.self)
        guard current == token else {
            leadership.withLock { if $0?.token == token { $0 = nil } }
            throw notLeading()
        }
    }

    private func notLeading() -> StoreError {
        StoreError(.notLeader, path: name, "this host does not lead the scheduler any more; another host took over")
    }

    /// Forgets the evaluation state and the batch evaluated ahead.
    func forgetState() {
        stateLock.withLock { stateCache.removeAll() }
        pipeline.discard()
    }
}

extension PostgresStore {
    /// How long a lease lasts unless renewed: a leader that died or froze is replaced within
    /// about this long (plus a standby's polling interval).
    package static let leaseSeconds = 3.0
    /// How often the leader renews its lease.
    package static let renewEvery = Duration.seconds(1)
}
