import Foundation
import Testing

/// Runs the built `fieldsync` executable as a subprocess, the way a person or a script does.
struct FieldSyncCLI {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The lines of stderr, without the trailing newline.
        var errorLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast(stderr.hasSuffix("\n") ? 1 : 0).map { $0 } }
    }

    /// The package root: this file is Tests/EndToEndTests/CommandLineRunner.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // EndToEndTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// The executable: `FIELDSYNC_BIN` if set, else next to the test bundle (the build
    /// directory `swift test` used), else `.build/debug/fieldsync` under the package root.
    static let executable: URL? = {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["FIELDSYNC_BIN"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        if let testBinary = ProcessInfo.processInfo.arguments.first {
            var directory = URL(fileURLWithPath: testBinary).resolvingSymlinksInPath().deletingLastPathComponent()
            // On macOS the test binary sits inside an .xctest bundle.
            while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" || directory.lastPathComponent == "Contents" {
                directory.deleteLastPathComponent()
            }
            candidates.append(directory.appendingPathComponent("fieldsync"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/fieldsync"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    let database: String

    /// Runs `fieldsync ARGS --db DATABASE` and collects its exit status and output.
    func run(_ arguments: [String], useDatabase: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws -> Output {
        guard let executable = Self.executable else {
            Issue.record("fieldsync executable not found: build it first with `swift build` (looked next to the test binary and in \(Self.packageRoot.path)/.build/debug), or set FIELDSYNC_BIN", sourceLocation: sourceLocation)
            throw MissingExecutable()
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdoutURL = directory.appendingPathComponent("stdout"), stderrURL = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        // Output goes to files, not pipes: a full pipe would block the child while the test waits.
        let stdout = try FileHandle(forWritingTo: stdoutURL), stderr = try FileHandle(forWritingTo: stderrURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments + (useDatabase ? ["--db", database] : [])
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FIELDSYNC_DB")
        process.environment = environment
        process.currentDirectoryURL = Self.packageRoot
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try stdout.close()
        try stderr.close()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: stdoutURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self)
        )
    }

    /// Runs a command that must succeed and returns its stdout.
    @discardableResult
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let output = try run(arguments, sourceLocation: sourceLocation)
        #expect(output.status == 0, "fieldsync \(arguments.joined(separator: " ")) failed: \(output.stderr)", sourceLocation: sourceLocation)
        return output.stdout
    }

    /// Runs a read command with `--json` and decodes its output.
    func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Any? {
        let text = try succeed(arguments + ["--json"], sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    struct MissingExecutable: Error {}
}

/// A temporary directory removed when the test ends.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Typed access to decoded JSON.
extension Optional where Wrapped == Any {
    subscript(key: String) -> Any? { (self as? [String: Any])?[key] }
    subscript(index: Int) -> Any? {
        guard let array = self as? [Any], array.indices.contains(index) else { return nil }
        return array[index]
    }
    var string: String? { self as? String }
    var int: Int? { self as? Int }
    var array: [Any]? { self as? [Any] }
}
