import FieldSyncTestSupport
import Foundation
import SyncClient
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

    static var packageRoot: URL { Executables.packageRoot }

    /// The executable: `FIELDSYNC_BIN` if set, else next to the test binary (the build
    /// directory `swift test` used), else `.build/debug/fieldsync` under the package root.
    static let executable: URL? = {
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["FIELDSYNC_BIN"], !override.isEmpty {
            candidates.append(URL(fileURLWithPath: override))
        }
        if let testBinary = ProcessInfo.processInfo.arguments.first {
            var directory = URL(fileURLWithPath: testBinary).resolvingSymlinksInPath().deletingLastPathComponent()
            // On macOS the test binary sits inside an .xctest bundle.
            while ["xctest", "app"].contains(directory.pathExtension) || ["MacOS", "Contents"].contains(directory.lastPathComponent) {
                directory.deleteLastPathComponent()
            }
            candidates.append(directory.appendingPathComponent("fieldsync"))
        }
        candidates.append(Executables.fieldsync)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    let database: String

    /// What every run sets: no store from the environment, and no terminal width or colour
    /// choice inherited from the shell that runs the tests.
    static let baseEnvironment = ["FIELDSYNC_DB": "", "COLUMNS": "", "NO_COLOR": "", "CLICOLOR_FORCE": ""]

    /// Runs `fieldsync ARGS --db DATABASE` and collects its exit status and output;
    /// `environment` adds to (or overrides) the base environment.
    func run(_ arguments: [String], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Output {
        let executable = try Self.require(sourceLocation)
        let result = try await runCommand(executable, arguments + ["--db", database], environment: Self.baseEnvironment.merging(environment) { $1 })
        return Output(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }

    static func require(_ sourceLocation: SourceLocation) throws -> URL {
        guard let executable else {
            Issue.record("fieldsync executable not found: build it first with `swift build` (looked next to the test binary and in \(packageRoot.path)/.build/debug), or set FIELDSYNC_BIN", sourceLocation: sourceLocation)
            throw MissingExecutable()
        }
        return executable
    }

    /// Runs a command that must succeed and returns its stdout.
    @discardableResult
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let output = try await run(arguments, sourceLocation: sourceLocation)
        #expect(output.status == 0, "fieldsync \(arguments.joined(separator: " ")) failed: \(output.stderr)", sourceLocation: sourceLocation)
        return output.stdout
    }

    /// Runs a read command with `--json` and decodes its output.
    func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> Any? {
        let text = try await succeed(arguments + ["--json"], sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    struct MissingExecutable: Error {}
}

/// A fresh temporary directory per test.
typealias Scratch = TemporaryDirectory

extension TemporaryDirectory {
    convenience init() throws { try self.init("fieldsync-cli") }
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
