import FieldSyncTestSupport
import Foundation
import CRM
import SyncClient
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

        let (status, output) = try await run(["user", "add", "alice", "--role", "rep", "--territory", "east", "--territory", "west", "--db", database])
        #expect(status == 0)
        #expect(output.contains("enrollment code: "))
        let (badStatus, _) = try await run(["user", "add", "bob", "--role", "emperor", "--db", database])
        #expect(badStatus != 0)

        let errors = directory.appendingPathComponent("serve.err").path
        let process = try await ChildProcess(
            executable, ["serve", "--port", "0", "--db", database, "--log-level", "info"],
            output: .file(directory.appendingPathComponent("serve.out").path), error: .file(errors)
        )
        defer { process.terminate() }

        let line = try await process.outputLine(containing: "listening on", timeout: .seconds(120)) ?? ""
        let prefix = "listening on http://127.0.0.1:"
        #expect(line.hasPrefix(prefix))
        #expect(process.outputText.hasPrefix(line), "the address is the first line it prints: \(process.outputText)")
        let port = try #require(Int(line.dropFirst(prefix.count)))

        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            let health = try await client.get("/v1/health")
            #expect(health.status == .ok)
        }

        let logs = try await stop(process, within: .seconds(20), errors: errors)
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
            #expect(try await run(["import", records.path] + store).0 == 0)
        }
        let (status, output) = try await run(["compact", "--compaction-horizon", "7d"] + store)
        #expect(status == 0)
        let summary = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
        #expect(summary?["floor"] as? Int == 3, "no device holds the floor back: \(output)")
        #expect(summary?["entriesRemoved"] as? Int == 1, "the first rename was overwritten by the second")
        #expect(summary?["entriesKept"] as? Int == 2, "the creation still holds the territory, the last rename the name")
        #expect(try await run(["compact", "--compaction-horizon", "soon"] + store).0 != 0)
    }

    @Test("with a low open-file limit, more connections than file descriptors neither crash the server nor stop it serving")
    func openFileLimit() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the executables first: swift build")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("server.sqlite").path

        // 256 descriptors for the server; 400 connections are more than it can ever hold.
        let errors = directory.appendingPathComponent("serve.err").path
        let process = try await ChildProcess(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "ulimit -n 256 && exec \"$0\" serve --port 0 --db \"$1\" --log-level notice --idle-timeout 120", executable.path, database],
            output: .file(directory.appendingPathComponent("serve.out").path), error: .file(errors)
        )
        defer { process.terminate() }
        let line = try await process.outputLine(containing: "listening on", timeout: .seconds(120)) ?? ""
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

        let logs = try await stop(process, within: .seconds(30), errors: errors)
        #expect(logs.contains("the connection limit is lowered to stay below the open-file limit"))
    }

    @Test("a device store given to fieldsync-server is refused in one line, and FIELDSYNC_DB is the device's, not the server's")
    func deviceStoreIsRefused() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the executables first: swift build")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-exec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let device = directory.appendingPathComponent("device.sqlite").path
        _ = try DeviceStore(path: device, schema: CRMSchema.schema)

        let refused = try await runCommand(executable, ["user", "add", "alice", "--role", "rep", "--territory", "east", "--db", device])
        let errors = refused.stderr
        #expect(refused.status != 0)
        #expect(errors.contains("is a FieldSync device store"), "\(errors)")
        #expect(errors.split(separator: "\n").count <= 2, "one line (and ArgumentParser's own): \(errors)")

        let configuration = try ServerConfiguration().applying(environment: ["FIELDSYNC_DB": device])
        #expect(configuration.databasePath == ServerConfiguration().databasePath)
        #expect(try ServerConfiguration().applying(environment: ["FIELDSYNC_SERVER_DB": "/tmp/s.sqlite"]).databasePath == "/tmp/s.sqlite")
    }

    /// Sends SIGTERM, expects the server to exit 0 within `limit`, and returns what it logged.
    private func stop(_ process: ChildProcess, within limit: Duration, errors: String) async throws -> String {
        process.terminate()
        let end = try await process.wait(atMost: limit)
        #expect(end != nil, "still running \(limit) after SIGTERM")
        #expect(end?.succeeded == true, "\(String(describing: end))")
        return (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
    }

    private func run(_ arguments: [String]) async throws -> (Int32, String) {
        let result = try await runCommand(executable, arguments)
        return (result.status, result.stdout)
    }
}

/// A flag one task sets and another reads (`SlowClientTests`: whether a server stopped).
final class ReadFlag: Sendable {
    let value = Mutex(false)
}
