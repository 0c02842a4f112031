import Foundation
import SyncClient
import SyncCore
import Testing

/// Two reps change the quantity of the same order line offline: after sync the line holds both
/// quantities as a conflict (not their sum), and the order cannot be submitted until someone
/// decides.
@Suite("Orders and concurrent quantity edits", .serialized)
struct OrderConflictEndToEndTests {
    static let account = "0192f0c4-0000-7000-8000-000000000002"
    static let product = "0192f0c4-0000-7000-8000-000000000020"

    static let seed = """
        {"records": [
          {"entity": "product", "id": "\(product)", "fields": {"sku": "P-1", "name": "传感器 Sensor", "unit_price": "99.5", "currency": "CNY", "active": true}},
          {"entity": "account", "id": "\(account)", "fields": {"name": "Bluewater Electronics Ltd.", "territory": "east", "city": "上海"}}
        ]}
        """

    @Test("a line quantity changed on two devices blocks the submit until it is resolved; then the total comes from the lines")
    func concurrentQuantities() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-order")
        let serverStore = CLIServerStore(database: directory.path("server.sqlite"))
        try Self.seed.write(toFile: directory.path("seed.json"), atomically: true, encoding: .utf8)
        try await serverStore.importRecords(directory.path("seed.json"))
        let codes = await [try serverStore.addUser("alice"), try serverStore.addUser("bob")]
        let server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", serverStore.database, "--log-level", "error",
        ])
        let url = try await server.start()
        defer { server.terminate() }
        let devices = zip(["alice", "bob"], codes).map { name, code in
            (CLIDevice(name: name, database: directory.path("\(name).sqlite")), code)
        }
        for (device, code) in devices {
            try await device.run(["enroll", "--server", url.absoluteString, "--code", code, "--name", "\(device.name)-phone"])
            try await device.run(["sync"])
        }
        let (alice, bob) = (devices[0].0, devices[1].0)

        let order = try await #require(try JSONValues.object(try alice.run(["order", "create", "--account", Self.account, "--json"]))["id"] as? String)
        let added = try await JSONValues.array(try alice.run(["order", "add-line", order, "--product", "P-1", "--quantity", "10", "--json"]))
        let line = try #require(added.first { $0["entity"] as? String == "order_line" }?["id"] as? String)
        try await alice.run(["sync"])
        try await bob.run(["sync"])

        // Offline, each rep changes the quantity the customer asked for.
        try await alice.run(["edit", "order_line", line, "quantity=12"])
        try await bob.run(["edit", "order_line", line, "quantity=15"])
        for device in [alice, bob, alice] { try await device.run(["sync"]) }

        let refused = try await alice.fail(["order", "submit", order])
        #expect(refused.stderr.contains("two people changed its quantity"), "\(refused.stderr)")
        #expect(refused.stderr.contains("12") && refused.stderr.contains("15"))

        // Someone decides: the new write covers both competing values.
        try await alice.run(["edit", "order_line", line, "quantity=15"])
        let submitted = try await JSONValues.object(try alice.run(["order", "submit", order, "--json"]))
        #expect(JSONValues.string(submitted, ["fields", "status"]) == "submitted")
        #expect(JSONValues.string(submitted, ["fields", "total"]) == "1492.5", "15 × 99.5, recomputed from the line")
    }
}
