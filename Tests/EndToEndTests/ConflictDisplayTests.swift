import CRM
import Foundation
import SyncCore
import SyncStore
import Testing

/// A concurrent edit from another device shows up as a conflict with both values, and an edit
/// on this device resolves it.
@Suite struct ConflictDisplayTests {
    @Test func competingValuesAreShownAndAnEditResolvesThem() async throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let cli = FieldSyncCLI(database: scratch.path("alice.sqlite"))
        try await cli.succeed(["init"])
        let created = try await cli.json(["create", "account", "name=杭州恒信科技有限公司", "territory=east", "tier=b"])
        let account = try #require(created["id"].string)

        // Bob's device got the account through sync and renames it while Alice does too.
        do {
            let bob = try DeviceStore(path: scratch.path("bob.sqlite"), schema: CRMSchema.schema)
            let alice = try DeviceStore(path: scratch.path("alice.sqlite"), schema: CRMSchema.schema)
            try bob.applyRemote(try alice.outbox().enumerated().map { LogEntry(sequence: Int64($0.offset + 1), change: $0.element.change) }, cursor: 1)
            try bob.apply(.update("account", id: account, [.set("name", .string("杭州恒信科技股份有限公司"))]))
        }
        try await cli.succeed(["edit", "account", account, "name=Hengxin Technology"])
        do {
            let bob = try DeviceStore(path: scratch.path("bob.sqlite"), schema: CRMSchema.schema)
            let alice = try DeviceStore(path: scratch.path("alice.sqlite"), schema: CRMSchema.schema)
            try alice.applyRemote(try bob.outbox().map { LogEntry(sequence: 2, change: $0.change) }, cursor: 2)
        }

        let conflicts = try await cli.json(["conflicts"])
        #expect(conflicts.array?.count == 1)
        #expect(conflicts[0]["kind"].string == "concurrent_values")
        #expect(conflicts[0]["field"].string == "name")
        let values = Set(conflicts[0]["values"].array?.compactMap { ($0 as Any?)["value"].string } ?? [])
        #expect(values == ["杭州恒信科技股份有限公司", "Hengxin Technology"])
        await #expect(try cli.json(["status"])["openConflicts"].array?.count == 1)
        await #expect(try cli.succeed(["show", "account", account]).contains("Conflicts (competing values"))
        await #expect(try cli.succeed(["list", "account"]).contains(" *"))

        let history = try await cli.json(["history", "account", account])
        #expect(history.array?.compactMap { ($0 as Any?)["origin"].string } == ["local", "local", "remote"])
        #expect(history[2]["thisDevice"] as? Bool == false)
        // Bob renamed what he had seen, the original name, not Alice's: his write is shown from
        // the value he saw and marked concurrent with hers, and hers with his.
        let alicesEdit = "\(history[1]["replica"].string ?? ""):\(history[1]["counter"] as? Int ?? 0)"
        let bobsEdit = "\(history[2]["replica"].string ?? ""):\(history[2]["counter"] as? Int ?? 0)"
        #expect(history[2]["fields"]["name"]["seen"].array?.compactMap { $0 as? String } == ["杭州恒信科技有限公司"])
        #expect(history[2]["fields"]["name"]["concurrentWith"].array?.compactMap { $0 as? String } == [alicesEdit])
        #expect(history[1]["fields"]["name"]["seen"].array?.compactMap { $0 as? String } == ["杭州恒信科技有限公司"])
        #expect(history[1]["fields"]["name"]["concurrentWith"].array?.compactMap { $0 as? String } == [bobsEdit])
        #expect(history[0]["fields"]["name"]["concurrentWith"].array?.isEmpty == true)
        let text = try await cli.succeed(["history", "account", account])
        #expect(text.contains("杭州恒信科技有限公司 → 杭州恒信科技股份有限公司  (concurrent with \(alicesEdit.prefix(8)):"), "\(text)")

        try await cli.succeed(["edit", "account", account, "name=杭州恒信科技股份有限公司"])
        await #expect(try cli.json(["conflicts"]).array?.isEmpty == true)
        await #expect((try cli.json(["show", "account", account])["conflicts"] as? [String: Any])?.isEmpty == true)
    }
}
