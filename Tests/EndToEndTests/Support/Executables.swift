import FieldSyncTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The built executables of this package. CI builds them (`swift build --build-tests`) before
/// `swift test`; a test that needs them fails, never skips, when they are missing.
enum Executables {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fieldsync = packageRoot.appendingPathComponent(".build/debug/fieldsync")
    static let server = packageRoot.appendingPathComponent(".build/debug/fieldsync-server")

    /// The executable `name` in `.build/debug`; throws (the test fails, it is not skipped)
    /// when it has not been built.
    static func url(_ name: String) throws -> URL {
        let url = packageRoot.appendingPathComponent(".build/debug/\(name)")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw MissingExecutable(description: "\(url.path) is missing: build it first with `swift build --build-tests`")
        }
        return url
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        var description: String
    }

    static func require() throws {
        for executable in [fieldsync, server] {
            try #require(
                FileManager.default.isExecutableFile(atPath: executable.path),
                "\(executable.path) is missing: run `swift build` before `swift test`"
            )
        }
    }
}

/// How a child process ended and what it printed.
struct CommandResult: Sendable {
    var status: Int32
    var killed: Bool = false
    var stdout: String
    var stderr: String

    var succeeded: Bool { !killed && status == 0 }
}

/// Runs an executable to completion. Output is read while it runs, so a chatty child never
/// blocks on a full pipe.
@discardableResult
/// Runs a child process to completion, waiting on a thread of its own: a test blocked on a child
/// process must not hold one of the few threads of Swift's cooperative pool (two on this
/// machine), which the in-process servers of tests running alongside need to answer at all.
func runCommand(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
    try await onOwnThread { try runCommandBlocking(executable, arguments, environment: environment) }
}

/// Runs a child process to completion, blocking the calling thread (for one-time set-up outside
/// any test, such as the shared imported device).
func runCommandBlocking(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    // Commands speak English unless a test asks for another language, whatever the locale of
    // the machine that runs the tests.
    env["LC_ALL"] = nil
    env["LC_MESSAGES"] = nil
    env["LANG"] = "C.UTF-8"
    env.merge(environment) { _, new in new }
    process.environment = env
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var out = Data()
    nonisolated(unsafe) var err = Data()
    // Each buffer is written by exactly one reader thread and read after group.wait().
    group.enter()
    DispatchQueue.global().async { out = stdout.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.enter()
    DispatchQueue.global().async { err = stderr.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    group.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}


/// A child process whose output goes to files (no pipe can fill up and block it).
final class ChildProcess: Sendable {
    private let process = Process()
    private let outputPath: String
    private let errorPath: String

    init(_ executable: URL, _ arguments: [String], logDirectory: URL) throws {
        let id = UUID().uuidString.prefix(8)
        outputPath = logDirectory.appendingPathComponent("\(executable.lastPathComponent)-\(id).out").path
        errorPath = logDirectory.appendingPathComponent("\(executable.lastPathComponent)-\(id).err").path
        guard FileManager.default.createFile(atPath: outputPath, contents: nil),
              FileManager.default.createFile(atPath: errorPath, contents: nil),
              let output = FileHandle(forWritingAtPath: outputPath), let error = FileHandle(forWritingAtPath: errorPath) else {
            throw Executables.MissingExecutable(description: "cannot write the logs of \(executable.lastPathComponent) in \(logDirectory.path)")
        }
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    var isRunning: Bool { process.isRunning }

    /// SIGKILL: no cleanup, no flush, as a crash or a pulled battery.
    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// Waits for the process without blocking the cooperative thread pool.
    func wait() async -> CommandResult {
        let process = self.process
        await onOwnThread { process.waitUntilExit() }
        let stdout = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        return CommandResult(
            status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal, stdout: stdout, stderr: stderr
        )
    }

    /// Runs a command to its end.
    static func run(_ executable: URL, _ arguments: [String], logDirectory: URL) async throws -> CommandResult {
        let child = try ChildProcess(executable, arguments, logDirectory: logDirectory)
        return await child.wait()
    }
}
