import Dispatch
import Synchronization

/// The master scheduler's work on one batch: slave evaluators assess the batch's payments in
/// parallel, partitioned by account, then the master applies everything in queue order.
///
/// Assessments (attribution, conditions, rewards) depend only on the payment, the rules and
/// the account's own history, which only its partition touches; what crosses partitions
/// (limit usage, budgets, `per: all` limits, ids, orphans, refunds) is applied by the master
/// alone, in queue order. The result is therefore exactly the sequential result of SPEC §4.
/// The slaves assume that every payment with an id new to the batch and the state is new; when
/// the master finds otherwise for an account (a duplicate id, a plugin failure), that account's
/// later payments in the batch are assessed again by the master, in order.
package struct BatchEvaluator: Sendable {
    package let evaluator: Evaluator
    /// How many slave evaluators assess in parallel.
    package let workers: Int
    /// How a plugin failure is retried before the event is dead.
    package let pluginFailures: PluginFailurePolicy

    package init(evaluator: Evaluator, workers: Int, pluginFailures: PluginFailurePolicy = .standard) {
        self.evaluator = evaluator
        self.workers = max(1, workers)
        self.pluginFailures = pluginFailures
    }

    /// Evaluates a batch against `state`, returning one outcome per queued event, in order.
    ///
    /// A plugin failure makes its event's outcome `dead`; a failure of `state` stops the batch
    /// at once and throws the state's error: the caller keeps nothing of the batch.
    package func evaluate(_ batch: [QueuedEvent], state: some EvaluationState) throws -> [EventOutcome] {
        let plan = try partition(batch, state: state)
        let snapshot = try state.historySnapshot(accounts: plan.accounts, includingSpend: evaluator.rules.readsSpendHistory)
        let assessments = assessInParallel(batch, plan: plan, snapshot: snapshot)
        return try apply(batch, plan: plan, assessments: assessments, state: state)
    }

    /// The payments presumed new, by partition and by account, in queue order.
    struct Plan: Sendable {
        var partitions: [[Int]]
        var byAccount: [String: [Int]] = [:]
        var accounts: Set<String> = []
    }

    func partition(_ batch: [QueuedEvent], state: some EvaluationState) throws -> Plan {
        var plan = Plan(partitions: Array(repeating: [], count: workers))
        var idsInBatch = Set<String>()
        for (index, queued) in batch.enumerated() {
            guard case .event(let event, _) = queued.input else { continue }
            let isNew = try !idsInBatch.contains(event.id) && state.seenEvent(event.id) == nil
            idsInBatch.insert(event.id)
            guard isNew, case .payment(let payment) = event else { continue }
            let account = payment.account
            plan.partitions[Int(UInt(bitPattern: account.hashValue) % UInt(workers))].append(index)
            plan.byAccount[account, default: []].append(index)
            plan.accounts.insert(account)
        }
        return plan
    }

    /// Slave work: each partition assesses its payments in order against its own copy of its
    /// accounts' history. An index is missing from the result when its plugin failed.
    func assessInParallel(_ batch: [QueuedEvent], plan: Plan, snapshot: HistorySnapshot) -> [Int: PaymentAssessment] {
        let results = Mutex<[Int: PaymentAssessment]>([:])
        let work: @Sendable (Int) -> Void = { partition in
            let indices = plan.partitions[partition]
            guard !indices.isEmpty else { return }
            let history = InMemoryHistory(snapshot)
            var local: [Int: PaymentAssessment] = [:]
            var failedAccounts = Set<String>()
            for index in indices {
                guard case .event(.payment(let payment), _) = batch[index].input, !failedAccounts.contains(payment.account)
                else { continue }
                do {
                    let assessment = try evaluator.assess(payment, history: history)
                    local[index] = assessment
                    let partner = assessment.partner.map { evaluator.rules.partners[$0] }
                    // An in-memory history: it does not throw.
                    try evaluator.recordPurchase(payment, partner: partner, state: history)
                } catch {
                    failedAccounts.insert(payment.account)
                }
            }
            results.withLock { $0.merge(local) { first, _ in first } }
        }
        if workers == 1 {
            work(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        }
        return results.withLock { $0 }
    }

    /// Master work: applies every event in queue order, using a slave's assessment while its
    /// account's history is the one the slave assumed. Throws the state's error when it fails.
    func apply(
        _ batch: [QueuedEvent], plan: Plan, assessments: [Int: PaymentAssessment], state: some EvaluationState
    ) throws -> [EventOutcome] {
        var pending = plan.byAccount.mapValues { ArraySlice($0) }
        var diverged = Set<String>()
        var outcomes: [EventOutcome] = []
        outcomes.reserveCapacity(batch.count)
        for (index, queued) in batch.enumerated() {
            let outcome: EventOutcome
            do throws(EvaluationError) {
                let decisions = try pluginFailures.evaluate { attempt throws(EvaluationError) in
                    try evaluator.process(queued.input, state: state) { payment in
                        let account = payment.account
                        guard !diverged.contains(account), pending[account]?.first == index, attempt == 1,
                            let assessment = assessments[index]
                        else {
                            diverged.insert(account)
                            return nil
                        }
                        pending[account]?.removeFirst()
                        return assessment
                    }
                }
                outcome = .decided(decisions)
            } catch {
                switch error {
                case .plugin(let failure): outcome = .dead(failure)
                case .state(let failure): throw failure
                }
            }
            // A payment the slaves took for new that was not (a duplicate id, a dead event):
            // its account's later assessments assumed a history that did not happen.
            if case .event(.payment(let payment), _) = queued.input, pending[payment.account]?.first == index {
                let account = payment.account
                pending[account]?.removeFirst()
                diverged.insert(account)
            }
            outcomes.append(outcome)
        }
        return outcomes
    }
}
