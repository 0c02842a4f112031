import FieldSyncTestSupport
import Foundation
import CRM
import SyncServer
import SyncStore
import Synchronization
import HummingbirdTesting
import NIOCore
import Testing

/// The built `fieldsync-server` of this package: CI builds it (`swift build --build-tests`)
/// before `swift test`, and the test fails rather than skips when it is missing.
private let executable: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".build/debug/fieldsync-server")

@Suite("fieldsync-server executable")
struct ExecutableTests {
    @Test("user add prints a code; serve --port 0 prints its port, answers, and exits 0 on SIGTERM")
    func serveAndStop() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the executables first: swift build")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("server.sqlite").path

        let (status, output) = try run(["user", "add", "alice", "--role", "rep", "--territory", "east", "--territory", "west", "--db", database])
        #expect(status == 0)
        #expect(output.contains("enrollment code: "))
        let (badStatus, _) = try run(["user", "add", "bob", "--role", "emperor", "--db", database])
        #expect(badStatus != 0)

        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--port", "0", "--db", database, "--log-level", "info"]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let line = try await firstLine(of: stdout.fileHandleForReading, from: process, timeout: .seconds(120))
        let prefix = "listening on http://127.0.0.1:"
        #expect(line.hasPrefix(prefix))
        let port = try #require(Int(line.dropFirst(prefix.count)))

        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let health = try await client.get("/v1/health")
            #expect(health.status == .ok)
        }

        let logs = try await stop(process, within: .seconds(20), stderr: stderr)
        #expect(logs.contains("store closed"))
    }

    @Test("compact runs one compaction and prints its summary as JSON; a bad horizon is refused", arguments: StorageBackend.all)
    func compactCommand(backend: StorageBackend) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the executables first: swift build")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let postgres = backend == .postgres ? try await PostgresTestCluster.shared().createDatabase() : nil
        defer { postgres?.drop() }
        let store = postgres.map { ["--postgres-url", $0.url] } ?? ["--db", directory.appendingPathComponent("server.sqlite").path]
        let records = directory.appendingPathComponent("records.json")
        let id = "0192f0c4-0000-7000-8000-000000000001"
        for name in ["Acme", "Acme Tea", "Acme Tea Co."] {
            try Data(#"{"records":[{"entity":"account","id":"\#(id)","fields":{"name":"\#(name)","territory":"east"}}]}"#.utf8).write(to: records)
            #expect(try run(["import", records.path] + store).0 == 0)
        }
        let (status, output) = try run(["compact", "--compaction-horizon", "7d"] + store)
        #expect(status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect(summary?["floor"] as? Int == 3, "no device holds the floor back: \(output)")
        #expect(summary?["entriesRemoved"] as? Int == 1, "the first rename was overwritten by the second")
        #expect(summary?["entriesKept"] as? Int == 2, "the creation still holds the territory, the last rename the name")
        #expect(try run(["compact", "--compaction-horizon", "soon"] + store).0 != 0)
    }

    @Test("with a low open-file limit, more connections than file descriptors neither crash the server nor stop it serving")
    func openFileLimit() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the executables first: swift build")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("server.sqlite").path

        // 256 descriptors for the server; 400 connections are more than it can ever hold.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "ulimit -n 256 && exec \"$0\" serve --port 0 --db \"$1\" --log-level notice --idle-timeout 120", executable.path, database,
        ]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let line = try await firstLine(of: stdout.fileHandleForReading, from: process, timeout: .seconds(120))
        let port = try #require(Int(line.dropFirst("listening on http://127.0.0.1:".count)))

        var connections: [RawConnection] = []
        for _ in 0..<400 { connections.append(try RawConnection(port: port)) }
        // The first connections were accepted and are served while the rest wait.
        try connections[0].send("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try await connections[0].readResponse(timeout: .seconds(30))?.status == 200)
        #expect(process.isRunning)
        for connection in connections { connection.close() }
        let health = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            try await client.get("/v1/health").status
        }
        #expect(health == .ok)
        #expect(process.isRunning, "the server died at its open-file limit")

        let logs = try await stop(process, within: .seconds(30), stderr: stderr)
        #expect(logs.contains("the connection limit is lowered to stay below the open-file limit"))
    }

    @Test("a device store given to fieldsync-server is refused in one line, and FIELDSYNC_DB is the device's, not the server's")
    func deviceStoreIsRefused() throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the executables first: swift build")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let device = directory.appendingPathComponent("device.sqlite").path
        _ = try DeviceStore(path: device, schema: CRMSchema.schema)

        let process = Process()
        process.executableURL = executable
        process.arguments = ["user", "add", "alice", "--role", "rep", "--territory", "east", "--db", device]
        let stderr = Pipe()
        process.standardOutput = Pipe()
        process.standardError = stderr
        try process.run()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(errors.contains("is a FieldSync device store"), "\(errors)")
        #expect(errors.split(separator: "\n").count <= 2, "one line (and ArgumentParser's own): \(errors)")

        let configuration = try ServerConfiguration().applying(environment: ["FIELDSYNC_DB": device])
        #expect(configuration.databasePath == ServerConfiguration().databasePath)
        #expect(try ServerConfiguration().applying(environment: ["FIELDSYNC_SERVER_DB": "/tmp/s.sqlite"]).databasePath == "/tmp/s.sqlite")
    }

    /// Sends SIGTERM, expects the server to exit 0 within `limit`, and returns what it logged.
    private func stop(_ process: Process, within limit: Duration, stderr: Pipe) async throws -> String {
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + limit
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!process.isRunning)
        #expect(process.terminationStatus == 0)
        return String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    private func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Reads until the first newline; after `timeout` without one the process is terminated,
    /// which ends the read. (A line read in time must not be followed by the terminate: on a
    /// loaded machine the timer may wake just after the line arrived.)
    private func firstLine(of handle: FileHandle, from process: Process, timeout: Duration) async throws -> String {
        let lineRead = ReadFlag()
        return try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask {
                var data = Data()
                while !data.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data += chunk
                }
                lineRead.value.withLock { $0 = true }
                return String(decoding: data.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                if !lineRead.value.withLock({ $0 }) { process.terminate() }
                throw CancellationError()
            }
            let line = try await group.next() ?? ""
            group.cancelAll()
            return line
        }
    }
}

/// A flag one task sets and another reads: here, whether the first line arrived (shared by
/// the reading task and the timer); `SlowClientTests`, whether a server stopped.
final class ReadFlag: Sendable {
    let value = Mutex(false)
}
