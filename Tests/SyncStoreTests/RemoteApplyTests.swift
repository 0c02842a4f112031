import SyncCore
import SyncStore
import Testing

/// Changes made on one device and applied on another through log entries converge, keep
/// concurrent values as conflicts, and are idempotent.
@Suite struct RemoteApplyTests {
    /// Two devices that start from the same account, edit it concurrently, then exchange
    /// their changes.
    func divergedPair() throws -> (DeviceStore, DeviceStore, RecordID) {
        let pair = try diverged()
        return (pair.alice, pair.bob, pair.opportunity)
    }

    struct Diverged {
        var alice: DeviceStore
        var bob: DeviceStore
        var opportunity: RecordID
        /// The creations both devices started from, as log entries 1 and 2.
        var creations: [LogEntry]
    }

    func diverged() throws -> Diverged {
        let alice = try Stores.memory(clock: Stores.ManualClock(1_795_000_000_000))
        let bob = try Stores.memory(clock: Stores.ManualClock(1_795_000_005_000))
        let account = RecordIDs.make(), opportunity = RecordIDs.make()
        try alice.apply([Sample.account(account), Sample.opportunity(opportunity, account: account)])
        let creations = try Sample.logEntries(from: alice)
        try bob.applyRemote(creations, cursor: 2)
        try alice.acknowledge(try alice.outbox().map { ChangeResult(dot: $0.change.dot, status: .accepted) })

        try alice.apply([
            .update("opportunity", id: opportunity, [.set("amount", .string("128000"))]),
            .update("account", id: account, [.add("tags", "vip"), .set("phone", .string("021-5555-0101"))]),
        ])
        try bob.apply([
            .update("opportunity", id: opportunity, [.set("amount", .string("142000"))]),
            .update("account", id: account, [.add("tags", "重点客户"), .set("city", .string("上海"))]),
        ])
        return Diverged(alice: alice, bob: bob, opportunity: opportunity, creations: creations)
    }

    @Test func exchangedChangesConvergeToIdenticalState() throws {
        let (alice, bob, opportunity) = try divergedPair()
        let fromAlice = try Sample.logEntries(from: alice, startingAt: 3)
        let fromBob = try Sample.logEntries(from: bob, startingAt: 5)
        let atAlice = try alice.applyRemote(fromBob, cursor: 6)
        let atBob = try bob.applyRemote(fromAlice, cursor: 6)
        #expect(atAlice.applied == 2 && atBob.applied == 2)
        #expect(try alice.canonicalDump() == bob.canonicalDump())

        // Both amounts survive as siblings; both devices show the same winner.
        let atAliceRecord = try #require(try alice.record("opportunity", id: opportunity))
        #expect(Set(atAliceRecord.conflicts["amount"]?.map(\.value) ?? []) == [.string("128000"), .string("142000")])
        #expect(atAliceRecord.value("amount") == (try bob.record("opportunity", id: opportunity))?.value("amount"))
        #expect(try alice.openConflicts().map(\.key) == bob.openConflicts().map(\.key))
        #expect(atAlice.conflictsOpened.map(\.field) == ["amount"])
        // Concurrent tags and fields on different keys merge without conflict.
        let account = try #require(try alice.records("account").first)
        #expect(account.sets["tags"] == ["vip", "重点客户"])
        #expect(account.value("phone") == .string("021-5555-0101") && account.value("city") == .string("上海"))
    }

    @Test func theOrderOfDeliveryDoesNotMatter() throws {
        let pair = try diverged()
        let a = try Sample.logEntries(from: pair.alice, startingAt: 3), b = try Sample.logEntries(from: pair.bob, startingAt: 5)
        let third = try Stores.memory(), fourth = try Stores.memory()
        // Causes first (the shared creations), then the concurrent edits in either order.
        try third.applyRemote(pair.creations + a + b, cursor: 6)
        try fourth.applyRemote(pair.creations + b + a, cursor: 6)
        #expect(try third.canonicalDump() == fourth.canonicalDump())
        try pair.alice.applyRemote(b, cursor: 6)
        #expect(try third.canonicalDump() == pair.alice.canonicalDump())
    }

    @Test func duplicatesAreNoOps() throws {
        let (alice, bob, _) = try divergedPair()
        let fromBob = try Sample.logEntries(from: bob, startingAt: 5)
        try alice.applyRemote(fromBob, cursor: 6)
        let before = try StoreFingerprint(alice)
        let historyCount = try alice.history("account", id: try #require(try alice.records("account").first).id).count
        let again = try alice.applyRemote(fromBob, cursor: 6)
        #expect(again.applied == 0)
        #expect(again.duplicates == fromBob.count)
        #expect(try StoreFingerprint(alice) == before)
        #expect(try alice.history("account", id: try #require(try alice.records("account").first).id).count == historyCount)
        // A device's own changes coming back from the server are duplicates too.
        let own = try alice.applyRemote(try Sample.logEntries(from: alice, startingAt: 7), cursor: 8)
        #expect(own.applied == 0)
    }

    @Test func remoteChangesAreMarkedRemoteInHistory() throws {
        let (alice, bob, opportunity) = try divergedPair()
        try alice.applyRemote(try Sample.logEntries(from: bob, startingAt: 5), cursor: 6)
        let origins = try alice.history("opportunity", id: opportunity).map(\.origin)
        #expect(origins == ["local", "local", "remote"])
        #expect(try alice.cursor() == 6)
    }

    @Test func orphansAreAFunctionOfTheRecordsHeldNotOfTheOrderChangesArrived() throws {
        let alice = try Stores.memory()
        let account = RecordIDs.make(), contact = RecordIDs.make(), activity = RecordIDs.make()
        try alice.apply([Sample.account(account), Sample.contact(contact, account: account)])
        try alice.apply(.create("activity", id: activity, [
            .set("account", .string(account)), .set("contact", .string(contact)), .set("type", .string("visit")),
            .set("at", .string("2026-11-20T01:30:00Z")),
        ]))
        try alice.apply(.delete("contact", id: contact))
        let entries = try Sample.logEntries(from: alice)
        #expect(entries.map(\.change.entity) == ["account", "contact", "activity", "contact"])
        // Bob receives them in order; Carol the deletion before the activity that names it.
        let bob = try Stores.memory(), carol = try Stores.memory()
        try bob.applyRemote(entries, cursor: 4)
        try carol.applyRemote([entries[0], entries[1], entries[3], entries[2]], cursor: 4)
        #expect(try bob.canonicalDump() == carol.canonicalDump())
        let expected = [ConflictKey(entity: "activity", recordID: activity, field: "contact", kind: .orphanReference)]
        for store in [alice, bob, carol] {
            #expect(try store.openConflicts().map(\.key) == expected)
            #expect(try store.openConflicts().map(\.target) == [contact])
            #expect(try store.status().openConflicts == 1)
        }
        // Pointing the activity elsewhere (or nowhere) resolves it on every device.
        try alice.apply(.update("activity", id: activity, [.set("contact", .null)]))
        #expect(try alice.openConflicts().isEmpty)
    }

    @Test func anOrphanReferenceIsKeptAndReported() throws {
        let alice = try Stores.memory(), bob = try Stores.memory()
        let account = RecordIDs.make()
        try alice.apply([Sample.account(account), Sample.contact(account: account)])
        // Bob receives the contact but not its account: kept, reported as an orphan.
        let contactOnly = try Sample.logEntries(from: alice).filter { $0.change.entity == "contact" }
        try bob.applyRemote(contactOnly, cursor: 2)
        #expect(try bob.records("contact").count == 1)
        #expect(try bob.openConflicts().map(\.key.kind) == [.orphanReference])
        // The account arriving later resolves it.
        try bob.applyRemote(try Sample.logEntries(from: alice).filter { $0.change.entity == "account" }, cursor: 3)
        #expect(try bob.openConflicts().isEmpty)
    }
}
