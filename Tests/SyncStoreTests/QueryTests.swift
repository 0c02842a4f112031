import SyncCore
import SyncStore
import Testing

/// Queries read the displayed state: filters, id prefixes, follow-ups.
@Suite struct QueryTests {
    func populated() throws -> (DeviceStore, RecordID) {
        let store = try Stores.memory()
        let account = RecordIDs.make()
        try store.apply([
            .create("account", id: account, [
                .set("name", .string("上海华科电子有限公司")), .set("territory", .string("east")), .set("tier", .string("A")),
                .set("city", .string("上海")), .add("tags", "vip"),
            ]),
            .create("account", [.set("name", .string("Apex Logistics")), .set("territory", .string("north")), .set("tier", .string("B"))]),
            Sample.contact(account: account),
        ])
        return (store, account)
    }

    @Test func filtersReadDisplayedValues() throws {
        let (store, account) = try populated()
        #expect(try store.records("account", matching: [.equals("tier", .string("A"))]).map(\.id) == [account])
        #expect(try store.records("account", matching: [.contains("tags", "vip")]).map(\.id) == [account])
        #expect(try store.records("account", matching: [.like("name", "华科")]).map(\.id) == [account])
        #expect(try store.records("account", matching: [.like("name", "apex")]).count == 1)
        #expect(try store.records("contact", matching: [.account(account)]).count == 1)
        #expect(try store.records("account", matching: [.equals("city", .null)]).count == 1)
        let error = storeError { _ = try store.records("account", matching: [.equals("bogus", .string("x"))]) }
        #expect(error?.code == "unknown_field")
    }

    @Test func aCheckReadsTheStatesWhoseDisplayedFieldIsOneOfTheValues() throws {
        let store = try Stores.memory()
        let ids = (0..<6).map { _ in RecordIDs.make() }
        try store.importRecords([
            .create("target", id: ids[0], [.set("kpi", .string("nps")), .set("value", .string("40"))]),
            .create("target", id: ids[1], [.set("kpi", .string("won_amount")), .set("value", .string("9"))]),
            .create("target", id: ids[2], [.set("kpi", .string("churn_rate")), .set("value", .string("5"))]),
            .create("target", id: ids[3], [.set("kpi", .string("nps")), .set("value", .string("50")), .set("rep", .string("rep1"))]),
            .create("account", id: ids[4], [.set("name", .string("nps")), .set("territory", .string("east"))]),
        ])
        var read: [[RecordID]] = []
        try store.apply([], checking: { reader in
            read.append(try reader.states("target", where: "kpi", isOneOf: ["nps", "won_amount"]).map(\.id))
            read.append(try reader.states("target", where: "kpi", isOneOf: []).map(\.id))
            read.append(try reader.states("target", where: "rep", isOneOf: ["rep1"]).map(\.id))
            read.append(try reader.states("account", where: "name", isOneOf: ["nps"]).map(\.id))
            read.append(try reader.states("target", where: "value", isOneOf: ["40"]).map(\.id))
        })
        #expect(read == [[ids[0], ids[1], ids[3]].sorted(), [], [ids[3]], [ids[4]], [ids[0]]])
    }

    @Test func idsResolveByUniquePrefix() throws {
        let (store, account) = try populated()
        #expect(try store.resolveID("account", prefix: account) == account)
        #expect(try store.resolveID("account", prefix: String(account.prefix(30)).uppercased()) == account)
        #expect(storeError { _ = try store.resolveID("account", prefix: "zz!") }?.code == "invalid_record_id")
        #expect(storeError { _ = try store.resolveID("account", prefix: "") }?.code == "invalid_record_id")
        #expect(storeError { _ = try store.resolveID("account", prefix: "ffffffff") }?.code == "record_not_found")
        #expect(storeError { _ = try store.resolveID("nothing", prefix: "ab") }?.code == "unknown_entity")
        // Ids made on one device in the same millisecond range share their first characters.
        let shared = String(account.prefix(6))
        let accounts = try store.records("account").map(\.id)
        if accounts.allSatisfy({ $0.hasPrefix(shared) }) {
            #expect(storeError { _ = try store.resolveID("account", prefix: shared) }?.code == "ambiguous_id")
        }
    }

    @Test func shortIDsAreUniqueAndResolve() throws {
        let store = try Stores.memory()
        // Time-ordered ids made together share a long prefix.
        let edits = (0..<20).map { index in
            LocalEdit.create("account", id: RecordIDs.make(milliseconds: 1_795_000_000_000), [.set("name", .string("客户 \(index)")), .set("territory", .string("east"))])
        }
        try store.apply(edits)
        let short = try store.shortIDs("account")
        #expect(short.count == 20)
        #expect(Set(short.values).count == 20)
        for (id, prefix) in short {
            #expect(prefix.count >= 8)
            #expect(try store.resolveID("account", prefix: prefix) == id)
        }
    }

    @Test func followUpsDueAreOrderedAndSkipDoneOnes() throws {
        let (store, account) = try populated()
        func visit(_ due: String, done: Bool = false) -> LocalEdit {
            .create("activity", [
                .set("account", .string(account)), .set("type", .string("visit")), .set("at", .string("2026-11-01T09:00:00Z")),
                .set("next_follow_up", .string(due)), .set("follow_up_done", .bool(done)),
            ])
        }
        try store.apply([visit("2026-11-23"), visit("2026-11-20"), visit("2026-11-24"), visit("2026-11-19", done: true)])
        let due = try store.followUps(through: "2026-11-23").map { $0.value("next_follow_up") }
        #expect(due == [.string("2026-11-20"), .string("2026-11-23")])
    }
}
