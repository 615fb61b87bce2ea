import Engine
import Foundation

/// Reads events from JSON Lines files (or `-` for standard input), line by line, with each
/// event's physical line number; blank lines are skipped but counted.
struct EventSource {
    /// A file that could not be read.
    struct ReadError: Error, CustomStringConvertible {
        let path: String
        let reason: String
        var description: String { "\(path): \(reason)" }
    }

    let paths: [String]
    /// A file to read instead of standard input for `-` (a copy, for a second pass).
    var standardInputCopy: String?

    /// Calls `body` with each event input, file by file. `file` is set in origins only when there
    /// are several files (SPEC §8).
    func forEach(_ body: (EventInput) -> Void) throws(ReadError) {
        let nameFiles = paths.count > 1
        for path in paths {
            let handle: FileHandle
            if path == "-", standardInputCopy == nil {
                handle = FileHandle.standardInput
            } else if path == "-", let copy = standardInputCopy, let opened = FileHandle(forReadingAtPath: copy) {
                handle = opened
            } else {
                guard let opened = FileHandle(forReadingAtPath: path) else {
                    throw ReadError(path: path, reason: "cannot open the file")
                }
                handle = opened
            }
            var lineNumber = 0
            var pending: [UInt8] = []
            func emit(_ line: ArraySlice<UInt8>) {
                lineNumber += 1
                var bytes = line
                if bytes.last == 0x0D { bytes = bytes.dropLast() }
                guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return }
                let origin = EventOrigin(file: nameFiles ? path : nil, line: lineNumber)
                switch EventParser.parse(line: bytes) {
                case .success(let event): body(.event(event, origin))
                case .failure(let error): body(.invalid(error, origin))
                }
            }
            while true {
                let chunk: Data
                do {
                    chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                } catch {
                    throw ReadError(path: path, reason: "read failed: \(error)")
                }
                if chunk.isEmpty { break }
                pending.append(contentsOf: chunk)
                var start = 0
                while let newline = pending[start...].firstIndex(of: 0x0A) {
                    emit(pending[start..<newline])
                    start = newline + 1
                }
                pending.removeFirst(start)
            }
            if !pending.isEmpty { emit(pending[...]) }
            if path != "-" { try? handle.close() }
        }
    }
}
