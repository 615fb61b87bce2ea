import ArgumentParser
import Engine
import Foundation
import Store

/// `cashback enqueue --db FILE FILE…`: puts events into the durable queue, all or nothing.
struct EnqueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enqueue",
        abstract: "Put events from JSON Lines files into the durable queue, all or nothing.")

    @Option(help: ArgumentHelp(DatabaseArgument.help))
    var db = DatabaseArgument.defaultValue

    @Argument(help: "JSON Lines files of events; - reads standard input.")
    var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one events file (or - for standard input)") }
    }

    func run() async throws {
        // Standard input is read twice (check, then store), so it is copied to a file first.
        var source = EventSource(paths: files)
        var copy: URL?
        if files.contains("-") {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("cashback-stdin-\(UUID().uuidString)")
            try FileHandle.standardInput.readDataToEndOfFile().write(to: url)
            source.standardInputCopy = url.path
            copy = url
        }
        defer { if let copy { try? FileManager.default.removeItem(at: copy) } }

        // Pass 1: every event is checked before anything is stored.
        var problems: [String] = []
        do {
            try source.forEach { input in
                if case .invalid(let error, let origin) = input {
                    problems.append("\(place(origin)): error: \(error.eventID.map { "[\($0)] " } ?? "")\(error)")
                }
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(ExitStatus.usage)
        }
        guard problems.isEmpty else {
            let summary = "nothing enqueued: \(problems.count) invalid event\(problems.count == 1 ? "" : "s")"
            FileHandle.standardError.write(Data((problems.joined(separator: "\n") + "\n" + summary + "\n").utf8))
            throw ExitCode(ExitStatus.rulesInvalid)
        }

        // Pass 2: stream them into one transaction.
        let store = try DatabaseArgument.open(db, access: .readWrite)
        var progress = Progress()
        let outcome = try store.enqueueStreaming(now: WallClock.now) { add in
            var failure: (any Error)?
            try source.forEach { input in
                guard failure == nil, case .event(let event, let origin) = input else { return }
                do {
                    try add(IncomingEvent(event: event, origin: origin))
                } catch {
                    failure = error
                }
                progress.tick("enqueue")
            }
            if let failure { throw failure }
        }
        progress.finish()
        switch outcome {
        case .success(let result):
            print(
                "enqueued \(result.accepted + result.duplicates) events: \(result.accepted) new, \(result.duplicates) duplicates")
        case .failure(let conflict):
            let message =
                "\(place(conflict.origin)): error: id: \(conflict.eventID) was accepted before with other content (conflict)"
            FileHandle.standardError.write(Data("\(message)\nnothing enqueued\n".utf8))
            throw ExitCode(ExitStatus.rulesInvalid)
        }
    }

    /// `file:line` of an event, naming the only file when origins leave it out.
    private func place(_ origin: EventOrigin) -> String { "\(origin.file ?? files[0]):\(origin.line ?? 0)" }
}
