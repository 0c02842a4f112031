import Foundation
import Testing

/// The built executables of this package. CI builds them (`swift build --build-tests`) before
/// `swift test`; a test that needs them fails, never skips, when they are missing.
enum Executables {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fieldsync = packageRoot.appendingPathComponent(".build/debug/fieldsync")
    static let server = packageRoot.appendingPathComponent(".build/debug/fieldsync-server")

    static func require() throws {
        for executable in [fieldsync, server] {
            try #require(
                FileManager.default.isExecutableFile(atPath: executable.path),
                "\(executable.path) is missing: run `swift build` before `swift test`"
            )
        }
    }
}

/// What a finished child process printed.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs an executable to completion. Output is read while it runs, so a chatty child never
/// blocks on a full pipe.
@discardableResult
func runCommand(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
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

/// A temporary directory removed when the value is deinitialised.
final class TemporaryDirectory {
    let url: URL

    init(_ prefix: String) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}
