import FieldSyncTestSupport
import Foundation
import Synchronization
import SyncCore
import Testing

@testable import SyncServer

@Suite("Snapshot pages read ahead")
struct SnapshotReadAheadTests {
    @Test("a bootstrap's next page is read while the device stores this one; a change made after that read reaches the device through the log", arguments: StorageBackend.all)
    func nextPageReadAhead(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: { $0.defaultPageLimit = 5 }) { (fixture) async throws in
            let service = fixture.syncService()
            var writer = try await fixture.enroll("writer")
            var ids: [RecordID] = []
            var changes: [Change] = []
            for index in 0..<12 {
                let id = newRecordID()
                ids.append(id)
                changes.append(try writer.write("account", id, accountFields(name: "Account \(index)")))
            }
            try await Self.syncUntilDone(service, fixture, &writer, pushing: changes)

            var fresh = try await fixture.enroll("fresh")
            let first = try await service.sync(fresh.request(), from: try await fixture.device(fresh))
            try fresh.apply(first)
            let sorted = ids.sorted()
            #expect(first.snapshot?.records.map(\.id) == Array(sorted[0..<5]))
            await service.readAhead.settle()
            #expect(service.readAhead.waiting == 1)

            // Edited after the second page was read: that page still carries the record as it
            // was, which shows it was the page read ahead.
            let edited = sorted[6]
            try await Self.syncUntilDone(service, fixture, &writer, pushing: [try writer.write("account", edited, [.set("city", "Hangzhou")])])
            #expect(try await fixture.storage.record(entity: "account", id: edited)?.value(of: "city") == .string("Hangzhou"))

            let second = try await service.sync(fresh.request(), from: try await fixture.device(fresh))
            #expect(second.snapshot?.records.map(\.id) == Array(sorted[5..<10]))
            let sent = try #require(second.snapshot?.records.first { $0.id == edited })
            #expect(sent.value(of: "city") == .null)
            try fresh.apply(second)

            // The rest of the snapshot, then the log from its high-water mark.
            try await Self.syncUntilDone(service, fixture, &fresh)
            #expect(fresh.record("account", edited)?.value(of: "city") == .string("Hangzhou"))
            #expect(fresh.sortedRecords == (try await fixture.storage.records()))
            #expect(service.readAhead.waiting == 0)
        }
    }

    @Test("a device whose scope changed between two pages is not handed the page read under the old scope: it resyncs and ends with the new scope's records", arguments: StorageBackend.all)
    func scopeChangeDropsPageReadAhead(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: { $0.defaultPageLimit = 3 }) { (fixture) async throws in
            let service = fixture.syncService()
            var admin = try await fixture.enroll("boss", role: .admin, territories: [])
            var changes: [Change] = []
            for index in 0..<8 {
                changes.append(try admin.write("account", newRecordID(), accountFields(name: "East \(index)", territory: "east")))
                changes.append(try admin.write("account", newRecordID(), accountFields(name: "West \(index)", territory: "west")))
            }
            try await Self.syncUntilDone(service, fixture, &admin, pushing: changes)

            var rep = try await fixture.enroll("rep", territories: ["east"])
            try rep.apply(try await service.sync(rep.request(), from: try await fixture.device(rep)))
            await service.readAhead.settle()
            #expect(service.readAhead.waiting == 1)

            _ = try await fixture.accounts.updateUser(name: "rep", territories: ["west"], team: [])
            let response = try await service.sync(rep.request(), from: try await fixture.device(rep))
            #expect(response.resync)
            try rep.apply(response)
            try await Self.syncUntilDone(service, fixture, &rep)
            let west = try await fixture.storage.records().filter { $0.value(of: "territory") == .string("west") }
            #expect(west.count == 8)
            #expect(rep.sortedRecords == west)
        }
    }

    /// Syncs through `service` until the device has the whole snapshot and the log; the device's
    /// account is read again for each request, as the routes do.
    static func syncUntilDone(_ service: SyncService<TestStore>, _ fixture: ServerFixture, _ replica: inout TestReplica, pushing changes: [Change] = []) async throws {
        var response = try await service.sync(replica.request(pushing: changes), from: try await fixture.device(replica))
        try replica.apply(response)
        var rounds = 1
        while response.snapshot?.next != nil || response.hasMore {
            rounds += 1
            try #require(rounds <= 50, "the sync does not end")
            response = try await service.sync(replica.request(), from: try await fixture.device(replica))
            try replica.apply(response)
        }
    }

    @Test("reading ahead is bounded: one page per device, a capacity, a lifetime; a page is handed out once and only for its own key")
    func bounds() async throws {
        let reads = Mutex(0)
        func page(_ highWater: LogSequence) -> @Sendable (SnapshotReadAhead.Key) async throws -> EncodedSnapshotPage {
            { _ in reads.withLock { $0 += 1 }; return EncodedSnapshotPage(records: [], next: nil, highWater: highWater) }
        }
        func key(_ replica: ReplicaID, limit: Int = 5, scope: AccessScope = .territories(["east"])) -> SnapshotReadAhead.Key {
            SnapshotReadAhead.Key(replica: replica, position: SnapshotPosition(highWater: 9, phase: .rest), limit: limit, maxBytes: 1 << 20, scope: scope)
        }
        let (a, b, c) = (ReplicaID(), ReplicaID(), ReplicaID())

        // A lifetime no run reaches: on a machine busy with other tests, this test's awaits
        // can wait longer than the default minute (it failed so once, after 73 s). Expiry is
        // checked below with a lifetime of zero.
        let ahead = SnapshotReadAhead(capacity: 2, lifetime: .seconds(24 * 3600))
        ahead.start(key(a), read: page(1))
        ahead.start(key(b), read: page(2))
        ahead.start(key(c), read: page(3))
        #expect(ahead.waiting == 2)
        await ahead.settle()
        #expect(reads.withLock { $0 } == 2)
        #expect(await ahead.take(key(c)) == nil)

        // Handed out once, and only for the same key: another limit or scope drops it.
        #expect(await ahead.take(key(a))?.highWater == 1)
        #expect(await ahead.take(key(a)) == nil)
        #expect(await ahead.take(key(b, scope: .territories(["west"]))) == nil)
        #expect(ahead.waiting == 0)
        ahead.start(key(b), read: page(4))
        #expect(await ahead.take(key(b, limit: 6)) == nil)

        // A device's new page replaces its old one.
        ahead.start(key(a), read: page(5))
        ahead.start(key(a), read: page(6))
        #expect(ahead.waiting == 1)
        #expect(await ahead.take(key(a))?.highWater == 6)

        // A failed read is no page: the request reads its own.
        ahead.start(key(a)) { _ in throw ServerError(.internalError, .logAction, ["action": "test"]) }
        #expect(await ahead.take(key(a)) == nil)

        // Past its lifetime a page is dropped; capacity 0 reads nothing ahead.
        let expiring = SnapshotReadAhead(capacity: 2, lifetime: .zero)
        expiring.start(key(a), read: page(7))
        #expect(await expiring.take(key(a)) == nil)
        let off = SnapshotReadAhead(capacity: 0)
        off.start(key(a), read: page(8))
        #expect(off.waiting == 0)
    }
}
