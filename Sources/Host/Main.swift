import ArgumentParser
import Foundation
import Logging
import MallocTuning

/// Entry point: parses the command line and maps failures to the exit statuses of SPEC §6
/// (usage errors exit 2, not ArgumentParser's 64).
@main
enum Main {
    static func main() async {
        cashback_use_one_malloc_arena()
        let environment = ProcessInfo.processInfo.environment
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let format = LogFormat.extract(from: &arguments, environment: environment) else {
            FileHandle.standardError.write(Data("Error: --log-format expects text or json\n".utf8))
            exit(ExitStatus.usage)
        }
        format.bootstrap(level: environment["CASHBACK_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .notice)
        do {
            var command = try Cashback.parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = Cashback.exitCode(for: error)
            let message = Cashback.fullMessage(for: error)
            if !message.isEmpty {
                // --help and --version are answers, not errors: they go to standard output.
                let stream = code == .success ? FileHandle.standardOutput : FileHandle.standardError
                stream.write(Data((message + "\n").utf8))
            }
            exit(code == .validationFailure ? ExitStatus.usage : code.rawValue)
        }
    }
}

/// Exit statuses shared by the commands (SPEC §6).
enum ExitStatus {
    static let rulesInvalid: Int32 = 1
    static let usage: Int32 = 2
    static let strictInvalidEvents: Int32 = 3
}
