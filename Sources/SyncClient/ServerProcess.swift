import Foundation

/// A `fieldsync-server` child process on a loopback port, for the demo and end-to-end tests.
///
/// It starts the server with `--port 0`, reads the `listening on URL` line the server prints,
/// and stops it with SIGTERM (graceful) or SIGKILL (crash tests).
public final class ServerProcess: @unchecked Sendable {
    // @unchecked: `process` and `url` are set once in `start` before the instance is shared
    // and only read afterwards; Process itself is thread-safe for terminate/wait.
    public let executable: URL
    public let arguments: [String]
    public private(set) var url: URL?
    private let process = Process()
    private let output = Pipe()

    public init(executable: URL, arguments: [String]) {
        self.executable = executable
        self.arguments = arguments
    }

    /// Starts the server and waits (up to `timeout`) until it says where it listens.
    @discardableResult
    public func start(timeout: TimeInterval = 30) throws -> URL {
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let handle = output.fileHandleForReading
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = ""
        while Date() < deadline {
            let data = handle.availableData
            if data.isEmpty {
                if !process.isRunning { break }
                continue
            }
            buffer += String(decoding: data, as: UTF8.self)
            if let line = buffer.split(separator: "\n").first(where: { $0.contains("listening on ") }),
               let range = line.range(of: "listening on "),
               let url = URL(string: String(line[range.upperBound...]).trimmingCharacters(in: .whitespaces)) {
                self.url = url
                // Keep draining stdout so the server never blocks on a full pipe.
                handle.readabilityHandler = { handle in _ = handle.availableData }
                return url
            }
        }
        process.terminate()
        throw SyncClientError(code: "server_start_failed", message: "fieldsync-server did not report a listening address: \(buffer)")
    }

    public var isRunning: Bool { process.isRunning }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// Asks the server to shut down gracefully and waits for it.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
    }

    /// Kills the server without warning, as a crash would.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
    }

    deinit { stop() }

    /// Runs a command to completion and returns its standard output; throws on failure.
    public static func run(_ executable: URL, _ arguments: [String]) throws -> String {
        let process = Process()
        let stdout = Pipe()
        let stderr = Pipe()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SyncClientError(
                code: "command_failed",
                message: "\(executable.lastPathComponent) \(arguments.joined(separator: " ")) failed: \(String(decoding: err, as: UTF8.self))"
            )
        }
        return String(decoding: out, as: UTF8.self)
    }
}
