import SyncCore
import SyncStore
import Testing

/// Bootstrapping from snapshot pages: states are joined, the bootstrap cursor moves page by
/// page, and the last page sets the log cursor.
@Suite struct SnapshotTests {
    @Test func pagesMoveTheBootstrapCursorAndTheLastSetsTheLogCursor() throws {
        let server = try Stores.memory()
        let account = RecordIDs.make()
        try server.apply([Sample.account(account), Sample.contact(account: account), Sample.opportunity(account: account)])
        let states = try server.allStates()
        let device = try Stores.memory()

        let first = SnapshotPage(records: Array(states.prefix(2)), next: BootstrapCursor(highWater: 42, afterEntity: states[1].entity, afterID: states[1].id), highWater: 42)
        try device.applySnapshot(first)
        #expect(try device.bootstrapCursor() == first.next)
        #expect(try device.cursor() == nil)
        #expect(try device.status().bootstrapping)

        try device.applySnapshot(SnapshotPage(records: Array(states.dropFirst(2)), next: nil, highWater: 42))
        #expect(try device.bootstrapCursor() == nil)
        #expect(try device.cursor() == 42)
        #expect(try device.canonicalDump() == server.canonicalDump())
        // Snapshot records are state, not local changes: nothing to push.
        #expect(try device.outbox().isEmpty)
    }

    @Test func aSnapshotJoinsWithLocalEdits() throws {
        let server = try Stores.memory()
        let account = RecordIDs.make()
        try server.apply(Sample.account(account))
        let device = try Stores.memory()
        try device.applyRemote(try Sample.logEntries(from: server), cursor: 1)
        try device.apply(.update("account", id: account, [.set("tier", .string("A"))]))
        try server.apply(.update("account", id: account, [.set("city", .string("上海"))]))

        try device.applySnapshot(SnapshotPage(records: try server.allStates(), next: nil, highWater: 9))
        let record = try #require(try device.record("account", id: account))
        #expect(record.value("tier") == .string("A"))
        #expect(record.value("city") == .string("上海"))
        #expect(try device.outbox().count == 1)
    }

    @Test func applyingTheSameSnapshotTwiceChangesNothing() throws {
        let server = try Stores.memory()
        try server.apply(Sample.account())
        let device = try Stores.memory()
        let page = SnapshotPage(records: try server.allStates(), next: nil, highWater: 3)
        try device.applySnapshot(page)
        let before = try StoreFingerprint(device)
        try device.applySnapshot(page)
        #expect(try StoreFingerprint(device).dump == before.dump)
        #expect(try device.cursor() == 3)
    }
}
