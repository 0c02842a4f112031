import CRM
import Foundation
import SyncClient
import SyncCore
import SyncStore
import Testing

/// `fieldsync sync --watch` against a real `fieldsync-server` process: the announcement, not
/// the poll, brings another device's edit (the poll interval is 10 minutes, far beyond every
/// wait below); the watch pushes edits another `fieldsync` process makes; it reconnects after
/// a server restart; SIGTERM ends it with exit 0.
@Suite("Live sync through a real server", .serialized)
struct LiveSyncEndToEndTests {
    static let account = "0192f0c4-0000-7000-8000-000000000001"
    static let seed = """
        {"records": [
          {"entity": "account", "id": "\(account)", "fields": {"name": "杭州星辰科技有限公司", "territory": "east", "city": "杭州", "phone": "0571-8888-0000"}}
        ]}
        """
    /// Longer than any test here waits: a sync that happens was woken by news or a local edit.
    static let pollInterval = "600"
    /// How long a test waits for what must happen; a failure, never a skip, when it passes.
    static let patience: Duration = .seconds(30)

    @Test("a watching device receives another's edit, pushes its own, survives a server restart, and stops on SIGTERM")
    func watchingDevice() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-live")
        defer { directory.remove() }
        let serverStore = CLIServerStore(database: directory.path("server.sqlite"))
        try Self.seed.write(toFile: directory.path("seed.json"), atomically: true, encoding: .utf8)
        try await serverStore.importRecords(directory.path("seed.json"))
        let aliceCode = try await serverStore.addUser("alice")
        let bobCode = try await serverStore.addUser("bob")

        var server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", serverStore.database, "--log-level", "error", "--watch-ping", "1",
        ])
        let url = try server.start()
        defer { server.stop() }
        let port = try #require(url.port)

        let alice = CLIDevice(name: "alice", database: directory.path("alice.sqlite"))
        let bob = CLIDevice(name: "bob", database: directory.path("bob.sqlite"))
        try await alice.run(["enroll", "--server", url.absoluteString, "--code", aliceCode, "--name", "alice-phone"])
        try await bob.run(["enroll", "--server", url.absoluteString, "--code", bobCode, "--name", "bob-phone"])
        try await alice.run(["sync"])

        let watch = try ChildProcess(
            Executables.fieldsync, ["sync", "--watch", "--json", "--poll-interval", Self.pollInterval, "--db", bob.database], logDirectory: directory.url
        )
        try await Self.eventually("bob's watch connects after its first sync") { watch.outputSoFar.contains("\"event\":\"connected\"") }
        try await Self.eventually("bob bootstrapped the seed") { try Self.phone(in: bob) == "0571-8888-0000" }

        // Alice's edit reaches bob through the announcement.
        try await alice.run(["edit", "account", Self.account, "phone=021-5555-0101"])
        try await alice.run(["sync"])
        try await Self.eventually("bob received alice's edit") { try Self.phone(in: bob) == "021-5555-0101" }
        #expect(watch.outputSoFar.contains("\"reason\":\"news\""))

        // An edit made by another fieldsync process on bob's store is pushed by the watch.
        try await bob.run(["edit", "account", Self.account, "city=上海"])
        try await Self.eventually("bob's watch pushed his edit") {
            try await alice.run(["sync"])
            return try Self.value("city", in: alice) == "上海"
        }
        #expect(watch.outputSoFar.contains("\"reason\":\"local-edit\""))

        // The server restarts on the same port; the watch reconnects and hears of the news.
        server.stop()
        server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "\(port)", "--db", serverStore.database, "--log-level", "error", "--watch-ping", "1",
        ])
        _ = try server.start()
        try await alice.run(["edit", "account", Self.account, "phone=010-6666-0202"])
        try await alice.run(["sync"])
        try await Self.eventually("bob received alice's edit after the restart") { try Self.phone(in: bob) == "010-6666-0202" }
        #expect(watch.outputSoFar.components(separatedBy: "\"event\":\"connected\"").count >= 3, "connected twice")

        // SIGTERM ends the watch cleanly, with nothing left unpushed.
        try await bob.run(["edit", "account", Self.account, "name=星辰科技"])
        try await Self.eventually("bob's watch pushed his second edit") { try Self.outboxCount(bob) == 0 }
        watch.terminate()
        let ended = await watch.wait()
        #expect(ended.status == 0 && !ended.killed, "exit status \(ended.status): \(ended.stderr)")
        try await alice.run(["sync"])
        #expect(try Self.value("name", in: alice) == "星辰科技")
    }

    @Test("a watch with a token the server does not know is refused with 401 unauthorized")
    func unknownToken() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-live-401")
        defer { directory.remove() }
        let serverStore = CLIServerStore(database: directory.path("server.sqlite"))
        let code = try await serverStore.addUser("alice")
        let server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", serverStore.database, "--log-level", "error",
        ])
        let url = try server.start()
        defer { server.stop() }
        let alice = CLIDevice(name: "alice", database: directory.path("alice.sqlite"))
        try await alice.run(["enroll", "--server", url.absoluteString, "--code", code, "--name", "alice-phone"])
        // The first sync settles the enrollment (until then a refused token is renewed with the code).
        try await alice.run(["sync"])
        let stream = URLSessionTransport(baseURL: url).announcements(
            TransportRequest(method: "GET", path: "/v1/watch", headers: ["Authorization": "Bearer not-a-token"]), silence: .seconds(30)
        )
        let error = await #expect(throws: SyncClientError.self) { for try await _ in stream {} }
        #expect(error?.status == 401)
        #expect(error?.code == "unauthorized")

        // The CLI's watch ends with that error too (exit 1), instead of retrying forever.
        let store = try DeviceStore(path: alice.database, schema: CRMSchema.schema)
        try store.setSettings(["token": "revoked-or-unknown"])
        let refused = try await alice.fail(["sync", "--watch", "--poll-interval", Self.pollInterval])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("unauthorized"), "\(refused.stderr)")
    }

    static func phone(in device: CLIDevice) throws -> String? { try value("phone", in: device) }

    static func value(_ field: String, in device: CLIDevice) throws -> String? {
        let store = try DeviceStore(path: device.database, schema: CRMSchema.schema)
        let state = try store.allStates().first { $0.id == account }
        if case .string(let text)? = state?.value(of: field) { return text }
        return nil
    }

    static func outboxCount(_ device: CLIDevice) throws -> Int {
        try DeviceStore(path: device.database, schema: CRMSchema.schema).outbox().count
    }

    /// Waits until `condition` holds, checking every 50 ms; fails the test after `patience`.
    static func eventually(_ what: String, _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + patience
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(what): not within \(patience)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}
