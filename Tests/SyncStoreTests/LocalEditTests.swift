import SyncCore
import SyncStore
import Testing

/// A local edit writes record state, outbox and history together, stamped with a new dot.
@Suite struct LocalEditTests {
    @Test func creationWritesStateOutboxAndHistory() throws {
        let store = try Stores.memory()
        let id = RecordIDs.make()
        let change = try store.apply(Sample.account(id))

        let record = try #require(try store.record("account", id: id))
        #expect(record.value("name") == .string("上海华科电子有限公司"))
        #expect(!record.deleted)
        #expect(record.version.covers(change.dot))

        let outbox = try store.outbox()
        #expect(outbox.map(\.change) == [change])
        #expect(outbox.first?.rejectCode == nil)

        let history = try store.history("account", id: id)
        #expect(history.count == 1)
        #expect(history.first?.origin == "local")
        #expect(history.first?.change == change)
        #expect(history.first?.diff["name"]?.new == .value(.string("上海华科电子有限公司")))
        #expect(history.first?.diff["name"]?.old == .value(.null))
    }

    @Test func dotsIncreaseAndContextsAreThePreviousVersion() throws {
        let store = try Stores.memory()
        let id = RecordIDs.make()
        let first = try store.apply(Sample.account(id))
        let second = try store.apply(.update("account", id: id, [.set("tier", .string("A"))]))
        #expect(first.dot.replica == store.replicaID)
        #expect(second.dot.counter == first.dot.counter + 1)
        #expect(second.context.covers(first.dot))
        #expect(!second.context.covers(second.dot))
        #expect(second.hlc > first.hlc)
        #expect(try store.status().lastDot == second.dot.counter)
    }

    @Test func aBatchIsOneTransactionWithOneDotPerEdit() throws {
        let store = try Stores.memory()
        let account = RecordIDs.make()
        let changes = try store.apply([Sample.account(account), Sample.contact(account: account), Sample.opportunity(account: account)])
        #expect(changes.map(\.dot.counter) == [1, 2, 3])
        #expect(try store.outbox().map(\.change) == changes)
        #expect(try store.status().records == ["account": 1, "contact": 1, "opportunity": 1])
    }

    @Test func setsAddAndRemoveMembers() throws {
        let store = try Stores.memory()
        let id = RecordIDs.make()
        try store.apply(Sample.account(id))
        try store.apply(.update("account", id: id, [.add("tags", "vip"), .add("tags", "重点客户")]))
        try store.apply(.update("account", id: id, [.remove("tags", "vip")]))
        #expect(try store.record("account", id: id)?.sets["tags"] == ["重点客户"])
    }

    @Test func deleteHidesTheRecordButKeepsItsHistory() throws {
        let store = try Stores.memory()
        let id = RecordIDs.make()
        try store.apply(Sample.account(id))
        try store.apply(.delete("account", id: id))
        #expect(try store.record("account", id: id)?.deleted == true)
        #expect(try store.records("account").isEmpty)
        #expect(try store.history("account", id: id).count == 2)
        #expect(try store.status().records["account"] == nil)
    }

    @Test func aRuleMayAddDerivedAssignments() throws {
        let rule: EditRule = { input in
            var assignments = input.assignments
            if input.current == nil { assignments["notes"] = .string("created at \(input.now)") }
            return assignments
        }
        let store = try Stores.memory(rule: rule)
        let id = RecordIDs.make()
        try store.apply(Sample.account(id))
        let notes = try #require(try store.record("account", id: id)?.value("notes").stringValue)
        #expect(notes.hasPrefix("created at 2026-"))
    }
}
