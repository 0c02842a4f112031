import FieldSyncTestSupport
import Foundation
import CRM
import SyncClient
import SyncStore
import Testing

/// `fieldsync sync --watch` as a rep runs it: one process keeps the device in sync, another
/// device's edit arrives through the news stream, and the lines read in the rep's language.
@Suite("fieldsync sync --watch")
struct LiveSyncCommandTests {
    /// As in `LiveSyncTests`: longer than any step takes in a full run on 2 cores.
    static let patience = LiveSyncTests.patience

    @Test("another device's edit arrives while the device watches; lines in English and Chinese", arguments: ["C.UTF-8", "zh_CN.UTF-8"])
    func watchReceivesNews(language: String) async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-watch")
        defer { directory.remove() }
        let (store, server) = try await CLIServerStore.seeded(#"{"records": []}"#, in: directory)
        let codes = [try await store.addUser("alice"), try await store.addUser("bob")]
        let url = try await server.start()
        defer { server.terminate() }
        let alice = CLIDevice(name: "alice", database: directory.path("alice.sqlite"))
        let bob = CLIDevice(name: "bob", database: directory.path("bob.sqlite"))
        try await alice.run(["enroll", "--server", url.absoluteString, "--code", codes[0], "--name", "alice-phone"])
        try await bob.run(["enroll", "--server", url.absoluteString, "--code", codes[1], "--name", "bob-phone"])
        try await bob.run(["sync"])

        // Polls only every 10 minutes: the edit can only arrive through the news stream.
        let watch = try await ChildProcess(
            Executables.fieldsync, ["sync", "--watch", "--poll-interval", "600", "--db", bob.database],
            environment: ["LC_ALL": nil, "LC_MESSAGES": nil, "LANG": language], output: .file(directory.path("watch.out"))
        )
        defer { watch.terminate() }
        let chinese = language.hasPrefix("zh")
        let listening = try await watch.outputLine(containing: chinese ? "正在等待服务器的新消息" : "watching for news from the server", timeout: Self.patience)
        #expect(listening != nil, "no listening line: \(watch.outputText)")

        try await alice.run(["create", "account", "name=华东五金", "territory=east"])
        try await alice.run(["sync"])
        let news = try await watch.outputLine(containing: chinese ? "（服务器有新消息）" : "(news from the server)", timeout: Self.patience)
        let line = try #require(news, "no sync for news: \(watch.outputText)")
        #expect(line.contains(chinese ? "拉取 1 个" : "pulled 1"), "\(line)")
        if chinese { #expect(EnglishProse.lines(in: watch.outputText).isEmpty, "\(watch.outputText)") }
        #expect(try await bob.run(["list", "account"]).contains("华东五金"))
    }

    @Test("a device wiped while it watches hears it at the next ping, deletes its store and stops")
    func wipedWhileWatching() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-watch-wiped")
        defer { directory.remove() }
        let store = CLIServerStore(database: directory.path("server.sqlite"))
        let code = try await store.addUser("bob")
        let server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", store.database, "--log-level", "error", "--watch-ping", "0.2",
        ])
        let url = try await server.start()
        defer { server.terminate() }
        let bob = CLIDevice(name: "bob", database: directory.path("bob.sqlite"))
        try await bob.run(["enroll", "--server", url.absoluteString, "--code", code, "--name", "bob-phone"])
        let replica = try DeviceStore(path: bob.database, schema: CRMSchema.schema).replicaID
        let watch = try await ChildProcess(
            Executables.fieldsync, ["sync", "--watch", "--db", bob.database],
            output: .file(directory.path("watch.out")), error: .file(directory.path("watch.err"))
        )
        defer { watch.terminate() }
        #expect(try await watch.outputLine(containing: "watching for news from the server", timeout: Self.patience) != nil, "\(watch.outputText)")

        let wiped = try await runCommand(Executables.server, ["device", "wipe", replica.rawValue, "--db", store.database])
        #expect(wiped.status == 0, "\(wiped.stderr)")
        let end = try #require(try await watch.wait(atMost: Self.patience), "the watch still runs after the wipe")
        #expect(end.status == 1)
        let stderr = (try? String(contentsOfFile: directory.path("watch.err"), encoding: .utf8)) ?? ""
        #expect(stderr.contains("wiped"), "\(stderr)")
        for suffix in ["", "-wal", "-shm"] {
            #expect(!FileManager.default.fileExists(atPath: bob.database + suffix), "\(bob.database + suffix) is still there")
        }
    }

    @Test("--watch --json prints one JSON object per line")
    func watchJSONLines() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-watch-json")
        defer { directory.remove() }
        let (store, server) = try await CLIServerStore.seeded(#"{"records": []}"#, in: directory)
        let code = try await store.addUser("bob")
        let url = try await server.start()
        defer { server.terminate() }
        let bob = CLIDevice(name: "bob", database: directory.path("bob.sqlite"))
        try await bob.run(["enroll", "--server", url.absoluteString, "--code", code, "--name", "bob-phone"])
        let watch = try await ChildProcess(
            Executables.fieldsync, ["sync", "--watch", "--json", "--db", bob.database], output: .file(directory.path("watch.out"))
        )
        defer { watch.terminate() }
        #expect(try await watch.outputLine(containing: #""event":"listening""#, timeout: Self.patience) != nil, "\(watch.outputText)")
        let synced = try #require(try await watch.outputLine(containing: #""event":"synced""#, timeout: Self.patience))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(synced.utf8)) as? [String: Any])
        #expect(object["reason"] as? String == "start")
        #expect((object["summary"] as? [String: Any])?["rounds"] != nil)
    }
}
