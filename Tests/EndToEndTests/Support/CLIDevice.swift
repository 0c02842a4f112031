import FieldSyncTestSupport
import Foundation
import SyncClient
import SyncCore
import Testing

/// One device driven through real `fieldsync` processes, as a rep would.
struct CLIDevice {
    var name: String
    var database: String

    /// Runs `fieldsync ARGS --db DATABASE` and requires success.
    @discardableResult
    func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await runCommand(Executables.fieldsync, arguments + ["--db", database])
        #expect(result.status == 0, "fieldsync \(arguments.joined(separator: " ")) on \(name): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// Runs a command that must fail; returns its stderr.
    func fail(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> CommandResult {
        let result = try await runCommand(Executables.fieldsync, arguments + ["--db", database])
        #expect(result.status != 0, "fieldsync \(arguments.joined(separator: " ")) should fail", sourceLocation: sourceLocation)
        return result
    }

    /// The device's full merge state, decoded.
    func states() async throws -> [RecordState] {
        try JSONDecoder().decode([RecordState].self, from: Data(try await run(["dump"]).utf8))
    }
}

/// A `fieldsync-server` store administered through the real executable.
struct CLIServerStore {
    var database: String

    /// Adds a user and returns its one-time enrollment code.
    func addUser(_ name: String, role: String = "rep", territories: [String] = ["east"]) async throws -> String {
        let result = try await runCommand(Executables.server, ["user", "add", name, "--role", role] + territories.flatMap { ["--territory", $0] } + ["--db", database])
        try #require(result.status == 0, "user add failed: \(result.stderr)")
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("enrollment code: ") })
        return String(try #require(line.split(separator: " ").last))
    }

    /// A store in `directory` that imported `records` (an import file's JSON), and a
    /// `fieldsync-server` process on it on a free loopback port, not started yet.
    static func seeded(_ records: String, in directory: TemporaryDirectory) async throws -> (CLIServerStore, ServerProcess) {
        let store = CLIServerStore(database: directory.path("server.sqlite"))
        try records.write(toFile: directory.path("seed.json"), atomically: true, encoding: .utf8)
        try await store.importRecords(directory.path("seed.json"))
        let server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", store.database, "--log-level", "error",
        ])
        return (store, server)
    }

    func importRecords(_ file: String) async throws {
        let result = try await runCommand(Executables.server, ["import", file, "--db", database])
        try #require(result.status == 0, "import failed: \(result.stderr)")
    }

    /// A store in `directory` that imported `records`, a `fieldsync-server` serving it, and a
    /// rep's device in territory east per name, enrolled and synced. The caller terminates the
    /// server (it is terminated here when enrolling fails).
    static func serving(
        _ records: String, devices names: [String], in directory: TemporaryDirectory
    ) async throws -> (store: CLIServerStore, server: ServerProcess, devices: [CLIDevice]) {
        let (store, server) = try await seeded(records, in: directory)
        var codes: [String] = []
        for name in names { codes.append(try await store.addUser(name)) }
        let url = try await server.start()
        do {
            var devices: [CLIDevice] = []
            for (name, code) in zip(names, codes) {
                let device = CLIDevice(name: name, database: directory.path("\(name).sqlite"))
                try await device.run(["enroll", "--server", url.absoluteString, "--code", code, "--name", "\(name)-phone"])
                try await device.run(["sync"])
                devices.append(device)
            }
            return (store, server, devices)
        } catch {
            server.terminate()
            throw error
        }
    }

    func states() async throws -> [RecordState] {
        let result = try await runCommand(Executables.server, ["dump", "--db", database])
        try #require(result.status == 0, "dump failed: \(result.stderr)")
        return try JSONDecoder().decode([RecordState].self, from: Data(result.stdout.utf8))
    }
}
