import CRM
import Foundation
import SyncClient
import SyncCore
import SyncStore
import Testing

/// Three reps' devices, each a real `fieldsync` process, edit offline and reconcile through a
/// real `fieldsync-server` process on a free loopback port.
@Suite("Devices reconcile through a real server", .serialized)
struct SyncEndToEndTests {
    static let opportunity = "0192f0c4-0000-7000-8000-000000000010"
    static let edited = "0192f0c4-0000-7000-8000-000000000001"
    static let loyal = "0192f0c4-0000-7000-8000-000000000002"
    static let product = "0192f0c4-0000-7000-8000-000000000020"

    /// The data set the server starts with.
    static let seed = """
        {"records": [
          {"entity": "product", "id": "\(product)", "fields": {"sku": "P-1", "name": "传感器 Sensor", "unit_price": "99.5", "currency": "CNY"}},
          {"entity": "account", "id": "\(edited)", "fields": {"name": "杭州星辰科技有限公司", "territory": "east", "city": "杭州", "phone": "0571-8888-0000"}},
          {"entity": "account", "id": "\(loyal)", "fields": {"name": "Bluewater Electronics Ltd.", "territory": "east", "city": "上海", "tags": ["key"], "loyalty_points": 100}},
          {"entity": "opportunity", "id": "\(opportunity)", "fields": {"account": "\(loyal)", "title": "Cold-chain sensors", "stage": "proposal", "amount": "1000", "currency": "CNY"}}
        ]}
        """

    @Test("offline edits on three devices converge in every sync order, and no write is lost", arguments: [[0, 1, 2], [2, 0, 1], [1, 2, 0]])
    func threeDevicesConverge(order: [Int]) async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-e2e")
        defer { directory.remove() }
        let serverStore = CLIServerStore(database: directory.path("server.sqlite"))
        try Self.seed.write(toFile: directory.path("seed.json"), atomically: true, encoding: .utf8)
        try await serverStore.importRecords(directory.path("seed.json"))
        let names = ["alice", "bob", "carol"]
        var codes: [String] = []
        for name in names { await codes.append(try serverStore.addUser(name)) }

        let server = ServerProcess(executable: Executables.server, arguments: [
            "serve", "--host", "127.0.0.1", "--port", "0", "--db", serverStore.database, "--log-level", "error",
        ])
        let url = try await server.start()
        defer { server.terminate() }

        let devices = names.map { CLIDevice(name: $0, database: directory.path("\($0).sqlite")) }
        for (device, code) in zip(devices, codes) {
            try await device.run(["enroll", "--server", url.absoluteString, "--code", code, "--name", "\(device.name)-phone"])
            try await device.run(["sync"])
            await #expect(try device.states().count == 4, "\(device.name) bootstrapped the seed")
        }

        // Alice asks for escrow on the loyal account: the server moves its 100 legacy points
        // into an opening ledger entry and grants her all of them.
        let (alice, bob, carol) = (devices[0], devices[1], devices[2])
        try await alice.run(["points", "reserve", Self.loyal, "100"])
        try await alice.run(["sync"])
        try await bob.run(["sync"])

        // Offline: nothing below talks to the server. Alice redeems out of her escrow; bob's
        // device holds none, so his redemption of the same points is refused on the spot.
        try await alice.run(["points", "redeem", Self.loyal, "60"])
        let refused = try await bob.fail(["points", "redeem", Self.loyal, "60"])
        #expect(refused.stderr.contains("loyalty_escrow_exceeded: this device may redeem 0 of the account's 100 points"), "\(refused.stderr)")
        try await alice.run(["edit", "opportunity", Self.opportunity, "amount=1200"])
        try await alice.run(["edit", "account", Self.edited, "phone=021-5555-0101"])
        try await alice.run(["points", "add", Self.loyal, "10"])
        try await alice.run(["tag", "add", Self.loyal, "vip"])
        try await bob.run(["edit", "opportunity", Self.opportunity, "amount=1500"])
        try await bob.run(["points", "add", Self.loyal, "20"])
        try await bob.run(["tag", "remove", Self.loyal, "key"])
        try await bob.run(["create", "contact", "account=\(Self.loyal)", "name=王芳", "phone=13800001111"])
        try await carol.run(["delete", "account", Self.edited])
        try await carol.run(["points", "add", Self.loyal, "5"])
        try await carol.run(["tag", "remove", Self.loyal, "key"])
        try await carol.run(["tag", "add", Self.loyal, "key"])

        for index in order + order {
            try await devices[index].run(["sync"])
        }

        // Every replica, server included, holds the same state.
        let serverStates = try await serverStore.states()
        for device in devices {
            await #expect(try device.states() == serverStates, "\(device.name) differs from the server (order \(order))")
        }

        let records = Dictionary(uniqueKeysWithValues: serverStates.map { ("\($0.entity)/\($0.id)", $0) })
        let amount = try #require(records["opportunity/\(Self.opportunity)"]?.fields["amount"]?.register)
        #expect(Set(amount.siblings.map(\.value)) == [.string("1200"), .string("1500")], "both concurrent amounts are kept")
        let account = try #require(records["account/\(Self.edited)"])
        #expect(!account.isDeleted(policy: .updateWins), "update wins over the concurrent delete")
        #expect(account.hasDeleteConflict)
        #expect(account.value(of: "phone") == .string("021-5555-0101"))
        let loyal = try #require(records["account/\(Self.loyal)"])
        let ledger = LoyaltyLedger(account: loyal, records: serverStates)
        #expect(ledger.legacyPoints == 0, "moved into the opening entry")
        #expect(ledger.balance == 75, "100 + 10 + 20 + 5 earned, each counted once, − 60 redeemed")
        #expect(ledger.entries.map(\.movement).sorted { $0.rawValue < $1.rawValue } == [.earn, .earn, .earn, .grant, .opening, .redeem, .request])
        #expect(loyal.fields["tags"]?.set?.members == ["key", "vip"], "carol's concurrent re-add of 'key' wins over bob's remove")
        #expect(serverStates.contains { $0.entity == "contact" && $0.value(of: "name") == .string("王芳") })

        try Self.expectNoLostWrite(devices: devices, final: records)
    }

    /// ARCHITECTURE.md property 2: every register write made anywhere is, in the final state,
    /// a sibling of its field (displayed or in conflict), or covered by a later write to that
    /// field whose writer had seen it.
    static func expectNoLostWrite(devices: [CLIDevice], final records: [String: RecordState]) throws {
        var all: [Change] = []
        for device in devices {
            let store = try DeviceStore(path: device.database, schema: CRMSchema.schema)
            for state in try store.allStates() {
                all += try store.history(state.entity, id: state.id).map(\.change)
            }
        }
        #expect(!all.isEmpty)
        var checked = 0
        for change in Set(all) {
            for operation in change.operations {
                guard case .assign = operation.operation else { continue }
                let register = records["\(change.entity)/\(change.recordID)"]?.fields[operation.field]?.register
                let present = register?.siblings.contains { $0.dot == change.dot } ?? false
                let superseded = all.contains { later in
                    later.entity == change.entity && later.recordID == change.recordID && later.dot != change.dot
                        && later.fields.contains(operation.field) && later.context.covers(change.dot)
                }
                #expect(present || superseded, "write \(change.dot) to \(change.entity).\(operation.field) was lost")
                checked += 1
            }
        }
        // alice: amount, phone; bob: amount and the contact's account, name, phone.
        #expect(checked >= 6)
    }
}
