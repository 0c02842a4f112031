import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Drives headless Chromium through the DevTools protocol over `--remote-debugging-pipe`
/// (JSON messages separated by NUL bytes on file descriptors 3 and 4): no WebDriver, no
/// websocket, nothing fetched. Navigates, fills inputs, clicks, reads the DOM, takes screenshots.
///
/// The blocking pipe I/O runs on the driver's own dispatch queue, never on the Swift
/// concurrency pool that the in-process server needs.
final class ChromiumDriver: @unchecked Sendable {
    // @unchecked: every mutable member is touched only on `queue`, one call at a time.
    private let queue = DispatchQueue(label: "fieldsync.chromium-driver")
    private let pid: pid_t
    private let input: Int32
    private let output: Int32
    private let profile: URL
    private var nextID = 1
    private var buffer: [UInt8] = []
    private var events: [[String: Any]] = []
    private var session: String?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The Chromium binary: `$CHROMIUM`, else Debian's `chromium`.
    static var executable: String? {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM"], "/usr/bin/chromium", "/usr/bin/chromium-browser"].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    init(executable: String, width: Int = 1280, height: Int = 900) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var toChrome: [Int32] = [0, 0]
        var fromChrome: [Int32] = [0, 0]
        guard pipe(&toChrome) == 0, pipe(&fromChrome) == 0 else { throw Failure(description: "pipe() failed") }
        // Keep the parent's ends out of the child; the child's ends land on fds 3 and 4.
        for fd in [toChrome[1], fromChrome[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Move the child's ends above 4 first, so dup2 onto 3 and 4 cannot clobber one another.
        posix_spawn_file_actions_adddup2(&actions, toChrome[0], 100)
        posix_spawn_file_actions_adddup2(&actions, fromChrome[1], 101)
        posix_spawn_file_actions_adddup2(&actions, 100, 3)
        posix_spawn_file_actions_adddup2(&actions, 101, 4)
        posix_spawn_file_actions_addclose(&actions, 100)
        posix_spawn_file_actions_addclose(&actions, 101)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [
            executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe", "--window-size=\(width),\(height)",
            "--user-data-dir=\(profile.path)", "about:blank",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, nil, &argv, environ)
        close(toChrome[0])
        close(fromChrome[1])
        guard status == 0 else {
            close(toChrome[1])
            close(fromChrome[0])
            throw Failure(description: "could not start \(executable): error \(status)")
        }
        pid = child
        input = toChrome[1]
        output = fromChrome[0]
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(input)
        close(output)
        try? FileManager.default.removeItem(at: profile)
    }

    // MARK: Page actions

    /// Opens a page target, attaches to it and sets the viewport.
    func openPage(width: Int = 1280, height: Int = 900) async throws {
        try await run {
            let target = try self.command("Target.createTarget", ["url": "about:blank"], inSession: false)
            guard let targetID = target["targetId"] as? String else { throw Failure(description: "no target id") }
            let attached = try self.command("Target.attachToTarget", ["targetId": targetID, "flatten": true], inSession: false)
            guard let session = attached["sessionId"] as? String else { throw Failure(description: "no session id") }
            self.session = session
            _ = try self.command("Page.enable", [:])
            _ = try self.command("Runtime.enable", [:])
        }
        try await setViewport(width: width, height: height)
    }

    /// Resizes the viewport (a phone is 390 × 844).
    func setViewport(width: Int, height: Int) async throws {
        try await run {
            _ = try self.command(
                "Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false]
            )
        }
    }

    /// Loads `url` and waits for its load event.
    func navigate(_ url: String) async throws {
        try await run {
            self.events.removeAll()
            _ = try self.command("Page.navigate", ["url": url])
            try self.waitForLoad()
        }
    }

    /// Runs JavaScript in the page and returns its value (JSON types).
    func evaluate(_ expression: String) async throws -> Any? {
        try await run { try self.evaluateNow(expression) }
    }

    /// Sets the value of an input or select.
    func fill(_ selector: String, _ value: String) async throws {
        let script = "(() => { const e = document.querySelector(\(Self.jsString(selector))); if (!e) return false; e.value = \(Self.jsString(value)); return true; })()"
        guard try await evaluate(script) as? Bool == true else { throw Failure(description: "no element \(selector)") }
    }

    /// Clicks an element that navigates (a link or a submit button) and waits for the new page.
    func click(_ selector: String) async throws {
        try await run {
            self.events.removeAll()
            let script = "(() => { const e = document.querySelector(\(Self.jsString(selector))); if (!e) return false; e.click(); return true; })()"
            guard try self.evaluateNow(script) as? Bool == true else { throw Failure(description: "no element \(selector)") }
            try self.waitForLoad()
        }
    }

    /// The page's HTML as the browser holds it now.
    func html() async throws -> String {
        try await evaluate("document.documentElement.outerHTML") as? String ?? ""
    }

    func text(_ selector: String) async throws -> String? {
        try await evaluate("(() => { const e = document.querySelector(\(Self.jsString(selector))); return e ? e.innerText : null; })()") as? String
    }

    var location: String {
        get async throws { try await evaluate("location.href") as? String ?? "" }
    }

    /// A PNG of the whole page.
    func screenshot() async throws -> Data {
        try await run {
            let result = try self.command("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
            guard let text = result["data"] as? String, let data = Data(base64Encoded: text) else {
                throw Failure(description: "no screenshot data")
            }
            return data
        }
    }

    // MARK: Protocol

    /// Runs `body` on the driver's queue. The result crosses back unchecked: it is created on
    /// the queue and only read by the awaiting caller afterwards.
    private func run<T>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let result: Unchecked<T> = try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { Unchecked(value: try body()) })
            }
        }
        return result.value
    }

    private struct Unchecked<Value>: @unchecked Sendable {
        // @unchecked: handed from the driver queue to the one awaiting caller, never shared.
        var value: Value
    }

    private func evaluateNow(_ expression: String) throws -> Any? {
        let result = try command("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] {
            throw Failure(description: "script failed: \(exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    private func waitForLoad(timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !events.contains(where: { $0["method"] as? String == "Page.loadEventFired" }) {
            guard let message = try receive(until: deadline) else { throw Failure(description: "the page did not load in \(timeout) s") }
            events.append(message)
        }
        events.removeAll()
    }

    private func command(_ method: String, _ parameters: [String: Any], inSession: Bool = true, timeout: TimeInterval = 20) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": parameters]
        if inSession, let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "Chromium closed its pipe") }
            written += count
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            guard let reply = try receive(until: deadline) else { throw Failure(description: "no answer to \(method) in \(timeout) s") }
            if reply["id"] as? Int == id {
                if let error = reply["error"] { throw Failure(description: "\(method) failed: \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            events.append(reply)
        }
    }

    /// The next message, or nil at the deadline.
    private func receive(until deadline: Date) throws -> [String: Any]? {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let data = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return nil }
            var descriptor = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, 1) * 1000))
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            guard count > 0 else { throw Failure(description: "Chromium exited") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    static func jsString(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
