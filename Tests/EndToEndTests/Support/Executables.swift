import FieldSyncTestSupport
import Foundation
import SyncClient
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

/// A child process whose output goes to files in a log directory (no pipe can fill up and
/// block it), read back when it has ended.
final class LoggedProcess: Sendable {
    private let child: ChildProcess
    private let outputPath: String
    private let errorPath: String

    init(_ executable: URL, _ arguments: [String], logDirectory: URL) async throws {
        let id = UUID().uuidString.prefix(8)
        outputPath = logDirectory.appendingPathComponent("\(executable.lastPathComponent)-\(id).out").path
        errorPath = logDirectory.appendingPathComponent("\(executable.lastPathComponent)-\(id).err").path
        child = try await ChildProcess(executable, arguments, output: .file(outputPath), error: .file(errorPath))
    }

    var pid: Int32 { child.pid }

    var isRunning: Bool { child.isRunning }

    /// SIGKILL: no cleanup, no flush, as a crash or a pulled battery.
    func kill() { child.kill() }

    /// Waits for the process to end and reads what it printed.
    func wait() async -> CommandResult {
        let stdout = { (try? String(contentsOfFile: self.outputPath, encoding: .utf8)) ?? "" }
        let stderr = { (try? String(contentsOfFile: self.errorPath, encoding: .utf8)) ?? "" }
        do {
            let end = try await child.wait()
            return CommandResult(status: end.status, killed: end.signalled, stdout: stdout(), stderr: stderr())
        } catch {
            return CommandResult(status: -1, stdout: stdout(), stderr: stderr() + "\nwaiting for the process failed: \(error)")
        }
    }

    /// Runs a command to its end.
    static func run(_ executable: URL, _ arguments: [String], logDirectory: URL) async throws -> CommandResult {
        try await LoggedProcess(executable, arguments, logDirectory: logDirectory).wait()
    }
}
