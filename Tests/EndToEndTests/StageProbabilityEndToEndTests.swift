import Foundation
import SyncClient
import SyncCore
import Testing

/// The stage probability table is the company's: an admin changes it on the server with
/// `target` records, every device receives it at its next sync, and stage moves and the
/// pipeline on each device use it.
@Suite("Stage probabilities set per company", .serialized)
struct StageProbabilityEndToEndTests {
    static let account = "0192f0c4-0000-7000-8000-000000000102"
    static let first = "0192f0c4-0000-7000-8000-000000000111"
    static let second = "0192f0c4-0000-7000-8000-000000000112"
    static let unset = "0192f0c4-0000-7000-8000-000000000113"

    static let seed = """
        {"records": [
          {"entity": "account", "id": "\(account)", "fields": {"name": "苏州精工机械", "territory": "east", "city": "苏州"}},
          {"entity": "opportunity", "id": "\(first)", "fields": {"account": "\(account)", "title": "产线改造", "stage": "needs_analysis", "amount": "100000", "currency": "CNY"}},
          {"entity": "opportunity", "id": "\(second)", "fields": {"account": "\(account)", "title": "备件年框", "stage": "proposal", "amount": "20000", "currency": "CNY"}},
          {"entity": "opportunity", "id": "\(unset)", "fields": {"account": "\(account)", "title": "试用", "stage": "proposal", "amount": "1000", "currency": "CNY"}}
        ]}
        """

    static let table = """
        {"records": [
          {"entity": "target", "id": "0192f0c4-0000-7000-8000-000000000121", "fields": {"kpi": "stage_probability_proposal", "value": "40"}},
          {"entity": "target", "id": "0192f0c4-0000-7000-8000-000000000122", "fields": {"kpi": "stage_probability_negotiation", "value": "60"}}
        ]}
        """

    static func probability(_ device: CLIDevice, _ id: String) async throws -> Int? {
        JSONValues.int(try JSONValues.object(try await device.run(["show", "opportunity", id, "--json"])), ["fields", "probability"])
    }

    @Test("a table the admin changes reaches both devices: their stage moves and pipelines use it")
    func changedTableApplies() async throws {
        try Executables.require()
        let directory = try TemporaryDirectory("fieldsync-stage-probability")
        defer { directory.remove() }
        let (store, server, devices) = try await CLIServerStore.serving(Self.seed, devices: ["alice", "bob"], in: directory)
        defer { server.terminate() }
        let (alice, bob) = (devices[0], devices[1])

        // The handbooks' table first: a move to proposal writes 50.
        try await alice.run(["opportunity", "stage", Self.first, "proposal"])
        #expect(try await Self.probability(alice, Self.first) == 50)
        try await alice.run(["sync"])

        // The admin sets the company's table; each device takes it at its next sync.
        try Self.table.write(toFile: directory.path("table.json"), atomically: true, encoding: .utf8)
        try await store.importRecords(directory.path("table.json"))
        for device in [alice, bob] { try await device.run(["sync"]) }

        try await alice.run(["opportunity", "stage", Self.first, "negotiation"])
        try await bob.run(["opportunity", "stage", Self.second, "needs_analysis"])
        try await bob.run(["opportunity", "stage", Self.second, "proposal"])
        #expect(try await Self.probability(alice, Self.first) == 60)
        #expect(try await Self.probability(bob, Self.second) == 40)
        for device in [alice, bob, alice] { try await device.run(["sync"]) }

        for device in [alice, bob] {
            #expect(try await Self.probability(device, Self.first) == 60, "\(device.name)")
            #expect(try await Self.probability(device, Self.second) == 40, "\(device.name)")
            // The deal with no probability of its own is weighted by the table's proposal 40 %.
            let pipeline = try JSONValues.object(try await device.run(["report", "pipeline", "--json", "--currency", "CNY"]))
            let rows = try #require(JSONValues.value(pipeline, ["result", "rows"]) as? [[String: Any]], "\(pipeline)")
            let proposal = try #require(rows.first { $0["stage"] as? String == "proposal" }, "\(rows)")
            let expected: Decimal = 8_000 + 400  // 40 % of 20,000 and of 1,000
            #expect(JSONValues.decimal(proposal, ["weightedAmount"]) == expected, "\(device.name): \(proposal)")
        }
        await #expect(try alice.states() == store.states())
    }
}
