import Foundation
import SyncClient
import SyncCore
import Testing

/// A device's report over its own records counts the local edits the server has not seen yet
/// and says so; once synced, it matches the server's.
@Suite("Device reports and unsynced local edits", .serialized)
struct DeviceReportEndToEndTests {
    static let account = "0192f0c4-0000-7000-8000-000000000002"
    static let opportunity = "0192f0c4-0000-7000-8000-000000000010"

    static let seed = """
        {"records": [
          {"entity": "account", "id": "\(account)", "fields": {"name": "Bluewater Electronics Ltd.", "territory": "east", "city": "上海"}},
          {"entity": "opportunity", "id": "\(opportunity)", "fields": {"account": "\(account)", "title": "Cold-chain sensors", "stage": "proposal", "amount": "1000", "currency": "CNY"}}
        ]}
        """

    /// The count of a stage in a pipeline report document.
    static func count(_ stage: String, in document: [String: Any]) -> Int? {
        let rows = JSONValues.value(document, ["result", "rows"]) as? [[String: Any]]
        return rows?.first { $0["stage"] as? String == stage && $0["currency"] as? String == "CNY" }.flatMap { JSONValues.int($0, ["count"]) }
    }

    @Test("a device report includes unsynced local edits and says how many; after sync it equals the server's")
    func unsyncedEditsAreCountedAndSaid() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-report")
        let serverStore = CLIServerStore(database: directory.path("server.sqlite"))
        try Self.seed.write(toFile: directory.path("seed.json"), atomically: true, encoding: .utf8)
        try await serverStore.importRecords(directory.path("seed.json"))
        let aliceCode = try await serverStore.addUser("alice")
        let rootCode = try await serverStore.addUser("root", role: "admin", territories: [])
        let server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", serverStore.database, "--log-level", "error",
        ])
        let url = try await server.start()
        defer { server.terminate() }

        let alice = CLIDevice(name: "alice", database: directory.path("alice.sqlite"))
        try await alice.run(["enroll", "--server", url.absoluteString, "--code", aliceCode, "--name", "alice-phone"])
        try await alice.run(["sync"])
        let admin = CLIDevice(name: "root", database: directory.path("root.sqlite"))
        try await admin.run(["enroll", "--server", url.absoluteString, "--code", rootCode, "--name", "root-laptop"])

        let synced = try await alice.run(["report", "pipeline"])
        #expect(!synced.contains("unsynced"), "nothing to say before any local edit:\n\(synced)")
        await #expect(JSONValues.int(try JSONValues.object(try alice.run(["report", "pipeline", "--json"])), ["unsyncedLocalEdits"]) == 0)

        // Offline: one deal moves on, one is new.
        try await alice.run(["opportunity", "stage", Self.opportunity, "negotiation"])
        try await alice.run(["create", "opportunity", "account=\(Self.account)", "title=Spare parts", "stage=qualification", "amount=500", "currency=CNY"])

        let text = try await alice.run(["report", "pipeline"])
        #expect(text.contains("includes 2 unsynced local edits"), "\(text)")
        #expect(text.contains("local edits not synced yet are included"))
        let local = try await JSONValues.object(try alice.run(["report", "pipeline", "--json"]))
        #expect(JSONValues.int(local, ["unsyncedLocalEdits"]) == 2)
        #expect(JSONValues.string(local, ["source"]) == "device")
        #expect(Self.count("negotiation", in: local) == 1, "the local edit is counted")
        #expect(Self.count("qualification", in: local) == 1)
        #expect(Self.count("proposal", in: local) == 0)
        let chart = try await alice.run(["report", "pipeline", "--chart", "--measure", "count"])
        #expect(chart.contains("includes 2 unsynced local edits"), "the chart says it too")

        // A report that reads none of the edited records has nothing unsynced to say.
        let satisfaction = try await JSONValues.object(try alice.run(["report", "satisfaction", "--json"]))
        #expect(JSONValues.int(satisfaction, ["unsyncedLocalEdits"]) == 0)

        // The server has not seen them.
        let before = try await JSONValues.object(try admin.run(["report", "pipeline", "--server", "--json"]))
        #expect(JSONValues.int(before, ["unsyncedLocalEdits"]) == 0)
        #expect(Self.count("proposal", in: before) == 1)
        #expect(Self.count("negotiation", in: before) == 0)

        try await alice.run(["sync"])
        let after = try await alice.run(["report", "pipeline"])
        #expect(!after.contains("unsynced"), "\(after)")
        let device = try await JSONValues.canonicalResult(try alice.run(["report", "pipeline", "--json"]))
        let onServer = try await JSONValues.canonicalResult(try admin.run(["report", "pipeline", "--server", "--json"]))
        #expect(device == onServer)
    }
}
