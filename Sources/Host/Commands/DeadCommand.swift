import ArgumentParser
import Engine
import Store

/// `cashback dead --db FILE [--retry [SEQ…]]`: lists the events a plugin kept failing on, or
/// puts them back at the end of the queue for the next `process`.
struct DeadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead", abstract: "List dead events (a plugin kept failing on them), or --retry them.")

    @Option(help: ArgumentHelp(DatabaseArgument.help))
    var db = DatabaseArgument.defaultValue

    @Flag(help: "Put the dead events back at the end of the queue.")
    var retry = false

    @Argument(help: "Queue positions to retry (default: all).")
    var sequences: [Int64] = []

    func run() async throws {
        let store = try DatabaseArgument.open(db, access: retry ? .readWrite : .readOnly)
        var output = OutputBuffer()
        if retry {
            output.line("requeued \(try await store.retryDead(sequences, now: WallClock.now)) dead events")
        } else {
            let dead = try await store.deadEvents()
            if dead.isEmpty { output.line("no dead events") }
            for event in dead {
                output.line("\(event.sequence)\t\(event.eventID)\t\(event.attempts) attempts\t\(event.error)")
            }
        }
        output.flush()
    }
}
