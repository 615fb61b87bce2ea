import ArgumentParser
import Engine
import Foundation

/// `cashback enqueue --db FILE FILE…`: puts events into the durable queue, all or nothing.
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Put events from JSON Lines files into the durable queue, all or nothing.")

    @Option(help: "The SQLite database.")
    var db = "cashback.sqlite"

    @Argument(help: "JSON Lines files of events; - reads standard input.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one events file (or - for standard input)") }
    }

    func run() async throws {
        var incoming: [IncomingEvent] = []
        var problems: [String] = []
        do {
            try EventSource(paths: files).forEach { input, bytes in
                switch input {
                case .event(let event, let origin):
                    incoming.append(IncomingEvent(event: event, body: String(decoding: bytes, as: UTF8.self), origin: origin))
                case .invalid(let error, let origin):
                    let place = "\(origin.file ?? files[0]):\(origin.line ?? 0)"
                    problems.append("\(place): error: \(error.eventID.map { "[\($0)] " } ?? "")\(error)")
                }
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        guard problems.isEmpty else {
            FileHandle.standardError.write(Data((problems.joined(separator: "\n") + "\nnothing enqueued: \(problems.count) invalid event\(problems.count == 1 ? "" : "s")\n").utf8))
            throw ExitCode(ExitStatus.rulesInvalid)
        }
        let store = try Store(path: db)
        switch try await store.enqueue(incoming, now: Clock.now) {
        case .success(let result):
            print("enqueued \(result.accepted + result.duplicates) events: \(result.accepted) new, \(result.duplicates) duplicates")
        case .failure(let conflict):
            let place = "\(conflict.origin.file ?? files[0]):\(conflict.origin.line ?? 0)"
            let message = "\(place): error: id: \(conflict.eventID) was accepted before with other content (conflict)"
            FileHandle.standardError.write(Data("\(message)\nnothing enqueued\n".utf8))
            throw ExitCode(ExitStatus.rulesInvalid)
        }
    }
}

/// The wall clock, read only by commands (the engine takes time as a parameter).
enum Clock {
    static var now: Timestamp {
        let seconds = Date().timeIntervalSince1970
        return Timestamp(epochSeconds: Int64(seconds.rounded(.down)))
    }
}
