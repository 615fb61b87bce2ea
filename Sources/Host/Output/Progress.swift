import Foundation

/// A progress line on standard error, shown only when it is a terminal (never on a pipe).
struct Progress {
    private let enabled = isatty(STDERR_FILENO) == 1
    private let started = Date()
    private var lastShown = Date.distantPast
    private(set) var count = 0
    private var shownAny = false

    /// Counts one more item and redraws at most a few times a second.
    mutating func tick(_ label: String) {
        count += 1
        guard count % 1024 == 0 else { return }
        show(label, count: count)
    }

    /// Shows a running total, at most a few times a second.
    mutating func show(_ label: String, count: Int) {
        self.count = count
        guard enabled else { return }
        let now = Date()
        guard now.timeIntervalSince(lastShown) > 0.25 else { return }
        lastShown = now
        let elapsedMilliseconds = max(1, Int(now.timeIntervalSince(started) * 1000))
        let rate = count * 1000 / elapsedMilliseconds
        FileHandle.standardError.write(Data("\r\(label): \(count) events, \(rate)/s   ".utf8))
        shownAny = true
    }

    /// Clears the line.
    func finish() {
        guard enabled, shownAny else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
