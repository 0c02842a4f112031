import Foundation
import Synchronization

/// A `fieldsync-server` child process on a loopback port, for the demo, the benchmarks and the
/// end-to-end tests.
///
/// It starts the server with `--port 0`, reads the `listening on URL` line the server prints
/// (its standard output goes to a temporary file, so the server never blocks on a full pipe),
/// and stops it with SIGTERM (graceful) or SIGKILL (crash tests).
public final class ServerProcess: Sendable {
    public let executable: URL
    public let arguments: [String]
    private let state = Mutex<(child: ChildProcess?, url: URL?)>((nil, nil))
    private let outputPath: String

    public init(executable: URL, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
        outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-server-\(UUID().uuidString.prefix(8)).out").path
    }

    /// The address it listens on, once started.
    public var url: URL? { state.withLock { $0.url } }

    /// Starts the server and waits (up to `timeout`) until it says where it listens.
    @discardableResult
    public func start(timeout: Duration = .seconds(30)) async throws -> URL {
        let child = try await ChildProcess(executable, arguments, output: .file(outputPath))
        state.withLock { $0.child = child }
        if let line = try await child.outputLine(containing: "listening on ", timeout: timeout),
           let range = line.range(of: "listening on "),
           let url = URL(string: String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)) {
            state.withLock { $0.url = url }
            return url
        }
        let text = child.outputText
        child.kill()
        _ = try? await child.wait()
        throw SyncClientError(code: "server_start_failed", message: "fieldsync-server did not report a listening address: \(text)")
    }

    public var isRunning: Bool { state.withLock { $0.child }?.isRunning ?? false }

    public var processIdentifier: Int32 { state.withLock { $0.child }?.pid ?? 0 }

    /// Asks the server to shut down gracefully, without waiting (for `defer`).
    public func terminate() {
        state.withLock { $0.child }?.terminate()
    }

    /// Asks the server to shut down gracefully and waits for it.
    public func stop() async {
        guard let child = state.withLock({ $0.child }) else { return }
        child.terminate()
        _ = try? await child.wait()
        try? FileManager.default.removeItem(atPath: outputPath)
    }

    /// Kills the server without warning, as a crash would (from any thread; `wait()` waits
    /// until it is gone).
    public func kill() {
        state.withLock { $0.child }?.kill()
    }

    /// Waits until the server process has ended.
    public func wait() async {
        _ = try? await state.withLock({ $0.child })?.wait()
    }

    deinit {
        state.withLock { $0.child }?.terminate()
        try? FileManager.default.removeItem(atPath: outputPath)
    }

    /// Runs a command to completion and returns its standard output; throws on failure. Its
    /// output is read by a program (an enrollment code, a count), so the command runs under
    /// `LC_ALL=C`, in the English words it is parsed by, whatever the caller's locale.
    public static func run(_ executable: URL, _ arguments: [String]) async throws -> String {
        let result = try await ChildProcess.run(executable, arguments, environment: ["LC_ALL": "C"])
        guard result.succeeded else {
            throw SyncClientError(
                code: "command_failed",
                message: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) failed: \(result.stderr)"
            )
        }
        return result.stdout
    }
}
