import ArgumentParser
import BuiltinPlugins
import Engine
import Foundation
import Store

/// `cashback explain EVENT_ID --db FILE`: prints a stored event's decision with the trace
/// recorded when it was processed. With `--replay`, re-evaluates the event with the rules
/// version in force when it was processed instead: the state before the event is rebuilt by
/// replaying the processed queue in order, each entry with its own rules version (from the
/// stored snapshots), and the result must equal the stored decision.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Print a stored event's decision with its trace (--replay: re-evaluate it).")

    @Argument(help: "The event id.")
    var eventID: String

    @Option(help: ArgumentHelp(DatabaseArgument.help))
    var db = DatabaseArgument.defaultValue

    @Flag(
        help:
            "Re-evaluate the event by replaying the queue with the rules of each event's time, and check that it agrees with the stored decision (reads the whole queue)."
    )
    var replay = false

    func run() async throws {
        let store = try DatabaseArgument.open(db, access: .readOnly)
        guard replay else {
            switch try await store.status(ofEvent: eventID) {
            case .processed(let decision, _), .orphan(let decision): print(decision)
            case .queued: throw ExplainFailure(message: "event \(eventID) is queued, not processed yet")
            case .dead(let error): throw ExplainFailure(message: "event \(eventID) is dead: \(error)")
            case nil: throw ExplainFailure(message: "no processed event \(eventID) in \(store.name)")
            }
            return
        }
        guard let stored = try await store.ownDecision(ofEvent: eventID) else {
            throw ExplainFailure(message: "no processed event \(eventID) in \(store.name)")
        }
        let entries = try await store.processedEntries(throughDecision: stored.position)
        let state = InMemoryState()
        var evaluators: [String: Evaluator] = [:]
        var replayed: Decision?
        var progress = Progress()
        for entry in entries {
            let evaluator: Evaluator
            if let known = evaluators[entry.rulesVersion] {
                evaluator = known
            } else {
                guard let sources = try await store.rulesSnapshot(entry.rulesVersion),
                    let rules = RuleLoader(registry: .builtin).load(sources: sources).rules
                else { throw ExplainFailure(message: "rules version \(entry.rulesVersion) has no usable snapshot") }
                evaluator = Evaluator(rules: rules, explain: true)
                evaluators[entry.rulesVersion] = evaluator
            }
            let decisions = try evaluator.process(entry.queued.input, state: state)
            if let match = decisions.last(where: { $0.eventID == eventID && $0.status != .duplicate && $0.status != .conflict }) {
                replayed = match
            }
            progress.tick("replaying")
        }
        progress.finish()
        guard let replayed else { throw ExplainFailure(message: "replaying the queue did not reach \(eventID)") }
        print(replayed.jsonLine(includeTrace: true))
        guard replayed.jsonLine(includeTrace: false) == stored.json else {
            FileHandle.standardError.write(Data("the replay disagrees with the stored decision:\n\(stored.json)\n".utf8))
            throw ExitCode.failure
        }
        FileHandle.standardError.write(Data("agrees with the stored decision\n".utf8))
    }
}

/// Why `explain` cannot explain.
struct ExplainFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
