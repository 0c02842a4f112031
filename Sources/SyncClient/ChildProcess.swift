import Foundation
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#endif

/// A child process: a server for the demo, the benchmarks and the end-to-end tests, a CLI run
/// by a test, a PostgreSQL command.
///
/// It is started through swift-subprocess, which closes the parent's other descriptors in the
/// child with `posix_spawn_file_actions_addclosefrom_np` and watches the child's exit through a
/// pidfd on a thread of its own. Foundation's `Process` on Linux (Swift 6.3.1) lists
/// `/proc/self/fd` with `readdir` and copies the whole 256-byte `d_name` of each entry: in a
/// process with more than about 1,350 open descriptors the last entry of a full 32 KiB
/// directory buffer can make that copy read past the buffer's end, and the test process (some
/// 2,000 descriptors at its peak, hundreds of stores open at once) died of SIGSEGV in
/// `Process.run` (a swift-corelibs-foundation bug).
///
/// Standard output and standard error go to files or nowhere, never to a pipe nobody reads,
/// so a chatty child never blocks; standard input is /dev/null. Nothing here blocks a thread of
/// Swift's cooperative pool: starting and waiting suspend.
public final class ChildProcess: Sendable {
    /// How a child process ended.
    public struct Termination: Sendable, Equatable {
        /// The exit status, or the signal number when `signalled`.
        public var status: Int32
        /// Whether a signal ended it (SIGKILL, SIGTERM left unhandled...).
        public var signalled: Bool

        public var succeeded: Bool { !signalled && status == 0 }
    }

    /// Where a standard stream goes.
    public enum Destination: Sendable {
        case discard
        /// A file, created or emptied at the start.
        case file(String)
    }

    /// The child's process id. swift-subprocess reaps the child as soon as it ends, before
    /// `wait()` sees the end, so the number may then belong to another process: signals go
    /// through a pidfd (`send`), never by this number.
    public let pid: pid_t
    public let executable: URL
    /// The file standard output goes to, if any.
    public let outputPath: String?
    private let exit: Task<Termination, any Error>
    private let ended: Ending

    /// How the child ended, once it has, and a pidfd of the child while it has not been seen
    /// to end (a duplicate of swift-subprocess's, which it closes when it has reaped the
    /// child): shared with the task that waits for it.
    private final class Ending: Sendable {
        let state = Mutex<(termination: Termination?, pidfd: Int32)>((nil, -1))

        var termination: Termination? { state.withLock { $0.termination } }

        func ended(_ termination: Termination) {
            state.withLock { state in
                state.termination = termination
                if state.pidfd >= 0 { close(state.pidfd) }
                state.pidfd = -1
            }
        }
    }

    /// Starts `executable` and returns once it runs. `environment` changes the parent's:
    /// a value replaces, nil removes.
    public init(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String?] = [:],
        workingDirectory: String? = nil,
        output: Destination = .discard,
        error: Destination = .discard
    ) async throws {
        let ended = Ending()
        let outputDescriptor = try Self.open(output)
        let errorDescriptor = try Self.open(error)
        let (started, startedContinuation) = AsyncThrowingStream<pid_t, any Error>.makeStream()
        let configuration = Self.configuration(executable, arguments, environment: environment, workingDirectory: workingDirectory)
        let exit = Task {
            do {
                let result = try await Subprocess.run(
                    configuration,
                    input: .none,
                    output: .fileDescriptor(outputDescriptor, closeAfterSpawningProcess: true),
                    error: .fileDescriptor(errorDescriptor, closeAfterSpawningProcess: true)
                ) { execution in
                    let pidfd = execution.processIdentifier.processDescriptor
                    if pidfd >= 0 { ended.state.withLock { $0.pidfd = dup(pidfd) } }
                    startedContinuation.yield(execution.processIdentifier.value)
                    startedContinuation.finish()
                }
                let termination: Termination
                switch result.terminationStatus {
                case .exited(let code): termination = Termination(status: code, signalled: false)
                case .signaled(let signal): termination = Termination(status: signal, signalled: true)
                }
                ended.ended(termination)
                return termination
            } catch {
                ended.state.withLock { state in
                    if state.pidfd >= 0 { close(state.pidfd) }
                    state.pidfd = -1
                }
                // Finishing an already finished stream (the child ran) does nothing.
                startedContinuation.finish(throwing: error)
                throw error
            }
        }
        var pids = started.makeAsyncIterator()
        // The stream ends with the pid, or with the error that kept the child from starting
        // (swift-subprocess has then closed the descriptors it was handed).
        guard let pid = try await pids.next() else {
            throw SyncClientError(code: "child_not_started", message: "\(executable.lastPathComponent) did not start")
        }
        self.pid = pid
        self.exit = exit
        self.executable = executable
        if case .file(let path) = output { outputPath = path } else { outputPath = nil }
        self.ended = ended
    }

    private static func open(_ destination: Destination) throws -> FileDescriptor {
        switch destination {
        case .discard:
            return try FileDescriptor.open("/dev/null", .writeOnly)
        case .file(let path):
            return try FileDescriptor.open(
                FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite, .groupRead, .otherRead]
            )
        }
    }

    /// Whether the child has not been seen to end yet.
    public var isRunning: Bool { ended.termination == nil }

    /// Sends `signal` to the child, unless it has ended. Through the child's pidfd: once the
    /// child is reaped (which swift-subprocess does before `wait()` sees the end) the signal
    /// reaches nobody, never a process (or a thread of this one) given the same pid since.
    /// Without a pidfd (a kernel before 5.4), by pid, unless the end was seen.
    public func send(_ signal: Int32) {
        ended.state.withLock { state in
            guard state.termination == nil else { return }
            if state.pidfd >= 0 {
                _ = PidFD.send(signal, to: state.pidfd)
            } else {
                _ = Glibc.kill(pid, signal)
            }
        }
    }

    /// SIGTERM: the child may clean up (a server drains and closes its store).
    public func terminate() { send(SIGTERM) }

    /// SIGKILL: no cleanup, no flush, as a crash or a pulled battery.
    public func kill() { send(SIGKILL) }

    /// Waits until the child has ended.
    @discardableResult
    public func wait() async throws -> Termination {
        try await exit.value
    }

    /// Waits (up to `timeout`) until a line of the child's standard output (a file) contains
    /// `text`, and returns that line; nil when the child ended or the time ran out first.
    public func outputLine(containing text: String, timeout: Duration) async throws -> String? {
        guard let outputPath else { return nil }
        let deadline = ContinuousClock.now + timeout
        while true {
            // Read before checking for the end: a child may print its line and exit at once.
            let running = isRunning
            let lines = ((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let line = lines.first(where: { $0.contains(text) }) { return String(line) }
            guard running, ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Everything the child has written to standard output so far (its file).
    public var outputText: String {
        outputPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
    }

    /// Waits at most `limit` for the child to end; nil when it is still running.
    public func wait(atMost limit: Duration) async throws -> Termination? {
        let deadline = ContinuousClock.now + limit
        while isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return isRunning ? nil : try await wait()
    }
}

/// How a command run to its end ended and what it printed.
public struct CommandResult: Sendable {
    public var status: Int32
    public var killed: Bool
    public var stdout: String
    public var stderr: String

    public init(status: Int32, killed: Bool = false, stdout: String, stderr: String) {
        self.status = status
        self.killed = killed
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { !killed && status == 0 }
}

extension ChildProcess {
    /// Runs a command to its end and collects what it prints (up to 64 MiB per stream:
    /// swift-subprocess reserves the limit up front).
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String?] = [:],
        workingDirectory: String? = nil
    ) async throws -> CommandResult {
        let limit = 64 << 20
        let result = try await Subprocess.run(
            configuration(executable, arguments, environment: environment, workingDirectory: workingDirectory),
            input: .none,
            output: .string(limit: limit),
            error: .string(limit: limit)
        )
        switch result.terminationStatus {
        case .exited(let code):
            return CommandResult(status: code, stdout: result.standardOutput ?? "", stderr: result.standardError ?? "")
        case .signaled(let signal):
            return CommandResult(status: signal, killed: true, stdout: result.standardOutput ?? "", stderr: result.standardError ?? "")
        }
    }

    /// What to start: the inherited environment with `environment`'s changes (nil removes a
    /// variable; a name the platform cannot hold is left out).
    private static func configuration(
        _ executable: URL, _ arguments: [String], environment: [String: String?], workingDirectory: String?
    ) -> Configuration {
        var variables: [Environment.Key: String?] = [:]
        for (name, value) in environment {
            guard let key = Environment.Key(rawValue: name) else { continue }
            variables[key] = value
        }
        return Configuration(
            executable: .path(FilePath(executable.path)),
            arguments: Arguments(arguments),
            environment: .inherit.updating(variables),
            workingDirectory: workingDirectory.map { FilePath($0) }
        )
    }
}

/// `pidfd_send_signal(2)`, looked up in the C library at run time (glibc 2.36 has it, Swift's
/// Glibc module does not import `sys/pidfd.h`).
enum PidFD {
    private typealias SendSignal = @convention(c) (Int32, Int32, UnsafeMutableRawPointer?, UInt32) -> Int32

    private static let sendSignal: SendSignal? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "pidfd_send_signal") else { return nil }
        return unsafeBitCast(symbol, to: SendSignal.self)
    }()

    /// Sends `signal` to the process `pidfd` refers to: 0, or the errno (ESRCH once that
    /// process has been reaped, ENOSYS without the call).
    static func send(_ signal: Int32, to pidfd: Int32) -> Int32 {
        guard let sendSignal else { return ENOSYS }
        return sendSignal(pidfd, signal, nil, 0) == 0 ? 0 : errno
    }
}
