import SyncCore
import SyncStore
import Testing

/// Snapshot pages insert the records the device lacks in batches and join the ones it holds.
@Suite struct SnapshotInsertTests {
    @Test("A page larger than one insert batch: new records as sent, held ones joined, conflicts opened")
    func largePageInsertsAndJoins() throws {
        let server = try Stores.memory()
        let accounts = (0..<300).map { _ in RecordIDs.make() }
        try server.apply(accounts.map { Sample.account($0) })
        // A conflict on the server: another replica renamed account 7 concurrently.
        let other = try Stores.memory()
        try other.applyRemote(try Sample.logEntries(from: server), cursor: 300)
        let theirs = try other.apply(.update("account", id: accounts[7], [.set("name", .string("他们的名字"))]))
        try server.apply(.update("account", id: accounts[7], [.set("name", .string("我们的名字"))]))
        try server.applyRemote([LogEntry(sequence: 301, change: theirs)], cursor: nil)
        #expect(try server.openConflicts().count == 1)

        // The device holds account 200 already, edited locally.
        let device = try Stores.memory()
        try device.applyRemote(try Sample.logEntries(from: server).filter { $0.change.recordID == accounts[200] }, cursor: nil)
        try device.apply(.update("account", id: accounts[200], [.set("tier", .string("A"))]))

        let result = try device.applySnapshot(SnapshotPage(records: try server.allStates(), next: nil, highWater: 302))
        #expect(result.applied == 300)
        #expect(result.conflictsOpened.map(\.recordID) == [accounts[7]])
        #expect(try device.openConflicts().map(\.key.recordID) == [accounts[7]])
        #expect(try device.records("account").count == 300)
        let held = try #require(try device.record("account", id: accounts[200]))
        #expect(held.value("tier") == .string("A"))
        #expect(try device.outbox().count == 1)
        for id in accounts where id != accounts[200] {
            #expect(try device.state("account", id: id) == server.state("account", id: id))
        }
        // Stamps received from the snapshot order the device's next edits after them.
        let next = try device.apply(.update("account", id: accounts[1], [.set("city", .string("Hangzhou"))]))
        #expect(try server.allStates().allSatisfy { $0.lastModified < next.hlc })
    }
}
