import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Debian's Chromium, headless, driven over the DevTools protocol on a pipe
/// (`--remote-debugging-pipe`: commands in on descriptor 3, answers and events out on 4, each
/// message JSON ended by a NUL). A page collects every problem a person would see in the
/// browser's console: console errors, uncaught exceptions, failed or refused loads, and any
/// request to somewhere other than the page's own service.
final class HeadlessChromium: Sendable {
    /// Where Chromium is: `CASHBACK_TEST_CHROMIUM`, else Debian's package.
    static let executable =
        ProcessInfo.processInfo.environment["CASHBACK_TEST_CHROMIUM"] ?? "/usr/lib/chromium/chromium"

    struct Missing: Error, CustomStringConvertible {
        var description: String { "no Chromium at \(HeadlessChromium.executable): run the tests with scripts/test" }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A DevTools message (its JSON object); messages stay on the reader thread's side of a lock.
    struct Message: @unchecked Sendable {
        let json: [String: Any]
        var method: String? { json["method"] as? String }
        var session: String? { json["sessionId"] as? String }
        var params: [String: Any] { json["params"] as? [String: Any] ?? [:] }
    }

    private let process: pid_t
    private let commands: Int32
    private let profile: TemporaryDirectory
    private let inbox = Inbox()

    /// What the reader thread received, shared with the test's tasks.
    private final class Inbox: Sendable {
        let state = Mutex(State())
    }

    private struct State {
        var nextID = 1
        var answers: [Int: Message] = [:]
        var events: [Message] = []
        var closed = false
    }

    /// Starts Chromium with a profile of its own; its output goes to `log` in the profile.
    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else { throw Missing() }
        profile = try TemporaryDirectory()
        var toBrowser: [Int32] = [0, 0]
        var fromBrowser: [Int32] = [0, 0]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else {
            throw Failure(description: "pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in toBrowser + fromBrowser { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        // glibc declares it for _GNU_SOURCE only, which Swift's Glibc module is not built with.
        guard let closeFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            throw Failure(description: "this C library has no posix_spawn_file_actions_addclosefrom_np")
        }
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, profile.path("log"), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, toBrowser[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromBrowser[1], 4)
        // Nothing else of this process (other tests' pipes) is inherited.
        _ = unsafeBitCast(closeFrom, to: AddCloseFrom.self)(&actions, 5)
        let arguments = [
            Self.executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
            "--user-data-dir=\(profile.path("profile"))", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--window-size=1280,1000", "about:blank",
        ]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, Self.executable, &actions, nil, &argv, environ)
        Glibc.close(toBrowser[0])
        Glibc.close(fromBrowser[1])
        guard spawned == 0 else {
            Glibc.close(toBrowser[1])
            Glibc.close(fromBrowser[0])
            throw Failure(description: "could not start \(Self.executable): \(String(cString: strerror(spawned)))")
        }
        process = pid
        commands = toBrowser[1]
        let answers = fromBrowser[0]
        let thread = Thread { [inbox] in Self.read(answers, into: inbox) }
        thread.start()
    }

    /// Reads messages until Chromium closes its end.
    private static func read(_ descriptor: Int32, into inbox: Inbox) {
        var pending = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = Glibc.read(descriptor, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            pending += buffer[0..<count]
            while let end = pending.firstIndex(of: 0) {
                let data = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
                let message = Message(json: json)
                inbox.state.withLock { state in
                    if let id = json["id"] as? Int { state.answers[id] = message } else { state.events.append(message) }
                }
            }
        }
        Glibc.close(descriptor)
        inbox.state.withLock { $0.closed = true }
    }

    /// Sends a command (to a page's `session`, or to the browser) and waits for its answer.
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], session: String? = nil) async throws -> [String: Any] {
        let id = inbox.state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        var command: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { command["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: command)) + [0]
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeMutableBytes { write(commands, $0.baseAddress! + written, $0.count - written) }
            guard count > 0 else { throw Failure(description: "Chromium closed its pipe (see \(profile.path("log")))") }
            written += count
        }
        let answer = try await poll("the answer to \(method)") { state in state.answers.removeValue(forKey: id) }
        if let error = answer.json["error"] as? [String: Any] {
            throw Failure(description: "\(method): \(error["message"] as? String ?? "\(error)")")
        }
        return answer.json["result"] as? [String: Any] ?? [:]
    }

    /// How many events arrived so far: a mark to wait for later ones from.
    var eventCount: Int { inbox.state.withLock { $0.events.count } }

    /// Every event so far.
    var events: [Message] { inbox.state.withLock { $0.events } }

    /// Waits for an event from `mark` on that `matches`.
    @discardableResult
    func waitForEvent(_ what: String, from mark: Int, matching matches: (Message) -> Bool) async throws -> Message {
        try await poll(what) { state in state.events[mark...].first(where: matches) }
    }

    /// Polls `found` under the lock every 20 ms for up to 60 s (a slow CI machine).
    private func poll<T>(_ what: String, _ found: (inout State) -> T?) async throws -> T {
        let deadline = Date().addingTimeInterval(60)
        while true {
            let (result, closed) = inbox.state.withLock { state in (found(&state), state.closed) }
            if let result { return result }
            let log = profile.path("log")
            if closed { throw Failure(description: "Chromium stopped while waiting for \(what) (see \(log))") }
            if Date() > deadline { throw Failure(description: "Chromium gave no \(what) within 60 s (see \(log))") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Opens a new tab.
    func newPage() async throws -> BrowserPage {
        let target = try await call("Target.createTarget", ["url": "about:blank"])
        let attached = try await call("Target.attachToTarget", ["targetId": target["targetId"] ?? "", "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw Failure(description: "no session for the tab") }
        let page = BrowserPage(browser: self, session: session)
        for domain in ["Page", "Runtime", "Log", "Network"] { try await call("\(domain).enable", session: session) }
        return page
    }

    /// Ends Chromium and removes its profile.
    func close() {
        Glibc.close(commands)
        kill(process, SIGKILL)
        var status: Int32 = 0
        waitpid(process, &status, 0)
        profile.remove()
    }
}

/// A tab of `HeadlessChromium`.
struct BrowserPage: Sendable {
    let browser: HeadlessChromium
    let session: String

    /// Sends `headers` with every request of the tab.
    func sendHeaders(_ headers: [String: String]) async throws {
        try await browser.call("Network.setExtraHTTPHeaders", ["headers": headers], session: session)
    }

    /// Loads `url` and waits until the page has loaded.
    func open(_ url: String) async throws {
        let mark = browser.eventCount
        try await browser.call("Page.navigate", ["url": url], session: session)
        try await waitForLoad(from: mark)
    }

    /// Runs `script` (which makes the tab go to another page: a form's submission, a link) and
    /// waits until that page has loaded.
    func follow(_ script: String) async throws {
        let mark = browser.eventCount
        _ = try await evaluate(script)
        try await waitForLoad(from: mark)
    }

    private func waitForLoad(from mark: Int) async throws {
        try await browser.waitForEvent("a page load", from: mark) {
            $0.method == "Page.loadEventFired" && $0.session == session
        }
    }

    /// The value of a JavaScript expression in the page (JSON-like values).
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await browser.call(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true], session: session)
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw HeadlessChromium.Failure(description: "\(expression): \(exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// The text of an expression's value.
    func text(_ expression: String) async throws -> String? { try await evaluate(expression) as? String }

    /// A PNG of the whole page.
    func screenshot() async throws -> Data {
        let shot = try await browser.call(
            "Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true], session: session)
        guard let base64 = shot["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw HeadlessChromium.Failure(description: "no screenshot")
        }
        return data
    }

    /// What went wrong in the tab so far, as the console shows it: console errors, uncaught
    /// exceptions, log entries of level error (failed loads, refused resources), failed
    /// requests, and requests to any origin but `origin` (or inline `data:`).
    func problems(origin: String) -> [String] {
        browser.events.filter { $0.session == session }.compactMap { event -> String? in
            let params = event.params
            switch event.method {
            case "Runtime.consoleAPICalled" where ["error", "assert"].contains(params["type"] as? String):
                return "console.\(params["type"] ?? ""): \(params["args"] ?? "")"
            case "Runtime.exceptionThrown":
                return "exception: \(params["exceptionDetails"] ?? "")"
            case "Log.entryAdded":
                let entry = params["entry"] as? [String: Any] ?? [:]
                return entry["level"] as? String == "error" ? "\(entry["source"] ?? ""): \(entry["text"] ?? "")" : nil
            case "Network.loadingFailed":
                return "load failed: \(params["errorText"] ?? "") \(params["blockedReason"] ?? "")"
            case "Network.requestWillBeSent":
                let url = (params["request"] as? [String: Any])?["url"] as? String ?? ""
                return url.hasPrefix(origin) || url.hasPrefix("data:") || url == "about:blank" ? nil : "request to \(url)"
            default:
                return nil
            }
        }
    }
}
