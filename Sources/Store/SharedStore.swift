/// A store that several hosts share (PostgreSQL): every host takes events, and one at a time,
/// the leader, runs the scheduler and the confirmations, under a lease it renews. Each batch
/// transaction checks the lease's fencing token, so a leader that lost the lease commits
/// nothing more.
package protocol SharedStore: Storage {
    /// This host's name in the lease.
    var hostName: String { get }
    /// Whether this host leads, as of its last claim.
    var isLeader: Bool { get }
    /// Takes the lease for `leaseSeconds` when it is free or expired, or renews it when this host
    /// holds it; returns whether this host leads now.
    func claimLeadership(leaseSeconds: Double) async throws -> Bool
    /// Gives the lease up, so that another host takes over at once.
    func releaseLeadership() async
    /// Who holds the lease now, if anyone ever did.
    func leaseHolder() async throws -> LeaseHolder?
}
