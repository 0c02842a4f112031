import CRM
import FieldSyncTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import SyncClient
import SyncCore
import SyncStore
import Testing

@testable import SyncServer

/// Log compaction: the log shrinks to what the records still show, devices that passed the
/// floor go on, devices behind it bootstrap again without losing their pending edits.
@Suite("Log compaction")
struct CompactionTests {
    static func counter(_ field: String, total: Int64) -> FieldOperation {
        FieldOperation(field: field, operation: .counter(increments: total, decrements: 0))
    }

    static func tag(_ element: String, add: Bool) -> FieldOperation {
        FieldOperation(field: "tags", operation: add ? .add(element) : .remove(element))
    }

    @Test("many writes to few records: after compaction the log holds about one entry per record, and the records are unchanged", arguments: StorageBackend.all)
    func logBoundedByLiveRecords(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { fixture in
            var alice = try await fixture.enroll("alice")
            let service = fixture.syncService()
            func sync(_ changes: [Change]) async throws {
                repeat {
                    // The device account is read per request, as the routes do.
                    let response = try await service.sync(alice.request(pushing: changes), from: try await fixture.device(alice))
                    #expect(response.results.allSatisfy { $0.status != .rejected }, "\(response.results.filter { $0.status == .rejected })")
                    try alice.apply(response)
                    if !response.hasMore { break }
                } while true
            }
            try await sync([])
            let ids = (0..<20).map { _ in newRecordID() }
            // Distinct names: equal ones would open probable-duplicate conflicts, not the subject here.
            try await sync(try ids.enumerated().map { try alice.write("account", $1, accountFields(name: "Acme \($0)")) })
            for round in 1...30 {
                var changes: [Change] = []
                for (index, id) in ids.enumerated() {
                    var operations: [FieldOperation] = [.set("name", "Acme \(index) r\(round)"), Self.counter("samples_given", total: Int64(round))]
                    operations.append(Self.tag("t\(round % 3)", add: (round + index) % 2 == 0))
                    changes.append(try alice.write("account", id, operations))
                }
                try await sync(changes)
            }
            // The next request acknowledges what the last one pulled.
            try await sync([])
            let before = try await fixture.storage.logCount()
            let records = try await fixture.storage.records()
            #expect(before == 20 + 20 * 30)

            let summary = try await fixture.storage.compactLog(activeSince: 0, reclaimSpace: true)
            let after = try await fixture.storage.logCount()
            #expect(summary.floor == (try await fixture.storage.latestSequence()))
            #expect(summary.entriesRemoved == before - after)
            // Each record keeps its newest entry, and at most the entries still holding a live
            // set element (two tags alternate): bounded by the live state, not by 31 writes.
            #expect(after <= 3 * ids.count, "\(after) entries left for \(ids.count) records")
            #expect(try await fixture.storage.records() == records, "compaction never changes a record")

            // A device that had passed the floor goes on; a new one bootstraps to the same state.
            let next = try alice.write("account", ids[0], [.set("phone", "021-5555-0100")])
            try await sync([next])
            #expect(alice.sortedRecords == (try await fixture.storage.records()))
            var bob = try await fixture.enroll("bob")
            while bob.cursor == nil || bob.bootstrap != nil {
                let response = try await service.sync(bob.request(), from: try await fixture.device(bob))
                #expect(!response.resync)
                try bob.apply(response)
                if bob.cursor != nil && !response.hasMore { break }
            }
            #expect(bob.sortedRecords == (try await fixture.storage.records()))
        }
    }

    @Test("a device inactive past the horizon is told to resync, keeps its pending edit, and converges; an active one goes on", arguments: StorageBackend.all)
    func inactiveDeviceResyncs(backend: StorageBackend) async throws {
        try await BootstrapPriorityTests.withRouter(backend: backend) { fixture, client in
            let account = newRecordID()
            _ = try await fixture.syncService().writeAsServer([
                RecordWrite(entity: "account", id: account, fields: ["name": .value(.string("Acme")), "territory": .value(.string("east"))])
            ])
            let active = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 50)
            let idle = try await TestDevice.enroll(fixture, client, user: "bob", pageLimit: 50)
            try await active.sync()
            try await idle.sync()
            // Offline on the idle device: an edit waiting in its outbox.
            try idle.store.apply(.update("account", id: account, [.set("phone", .string("021-5555-0199"))]))
            try await Task.sleep(for: .milliseconds(20))
            for round in 1...5 {
                try active.store.apply(.update("account", id: account, [.set("name", .string("Acme \(round)"))]))
                try await active.sync()
            }
            let devices = try await fixture.storage.devices()
            let activeSeen = try #require(devices.first { $0.user.name == "alice" }?.lastSeen)
            let idleCursor = try #require(devices.first { $0.user.name == "bob" }?.cursor)

            let summary = try await fixture.storage.compactLog(activeSince: activeSeen, reclaimSpace: false)
            #expect(summary.inactiveDevices == 1)
            #expect(summary.floor > idleCursor, "the idle device no longer holds the floor back")
            #expect(summary.entriesRemoved > 0)

            let resynced = try await idle.sync()
            #expect(resynced.resyncs == 1, "the device behind the floor bootstraps again")
            #expect(try idle.store.pendingChanges().isEmpty, "its pending edit was pushed first")
            let server = try await fixture.states()
            #expect(server["account/\(account)"]?.value(of: "phone") == .string("021-5555-0199"))
            #expect(try idle.states() == server)

            try active.store.apply(.update("account", id: account, [.set("name", .string("Acme 6"))]))
            let goingOn = try await active.sync()
            #expect(goingOn.resyncs == 0, "a device past the floor follows the log as before")
            #expect(try active.states() == (try await fixture.states()))
        }
    }

    @Test("an active device behind the others holds the floor back and needs no resync", arguments: StorageBackend.all)
    func activeDeviceHoldsTheFloor(backend: StorageBackend) async throws {
        try await BootstrapPriorityTests.withRouter(backend: backend) { fixture, client in
            let account = newRecordID()
            _ = try await fixture.syncService().writeAsServer([
                RecordWrite(entity: "account", id: account, fields: ["name": .value(.string("Acme")), "territory": .value(.string("east"))])
            ])
            let fast = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 50)
            let slow = try await TestDevice.enroll(fixture, client, user: "bob", pageLimit: 50)
            try await fast.sync()
            try await slow.sync()
            for round in 1...5 {
                try fast.store.apply(.update("account", id: account, [.set("name", .string("Acme \(round)"))]))
                try await fast.sync()
            }
            let slowCursor = try #require(try slow.store.cursor())
            let summary = try await fixture.storage.compactLog(activeSince: 0, reclaimSpace: false)
            #expect(summary.floor == slowCursor)
            let caughtUp = try await slow.sync()
            #expect(caughtUp.resyncs == 0)
            #expect(try slow.states() == (try await fixture.states()))
        }
    }

    @Test("a bootstrap under way holds the floor at its high-water mark; one behind the floor starts again", arguments: StorageBackend.all, [false, true])
    func bootstrapHoldsTheFloor(backend: StorageBackend, idle: Bool) async throws {
        try await BootstrapPriorityTests.withRouter(backend: backend) { fixture, client in
            _ = try await BootstrapPriorityTests.seed(fixture)
            let writer = try await TestDevice.enroll(fixture, client, user: "alice", pageLimit: 500)
            try await writer.sync()
            let fresh = try await TestDevice.enroll(fixture, client, user: "bob", pageLimit: 5)
            await #expect(throws: (any Error).self) { try await fresh.sync(failingAfter: 2) }
            let highWater = try #require(try fresh.store.bootstrapCursor()?.highWater)
            let account = try #require(try writer.store.records("account").first?.id)
            try await Task.sleep(for: .milliseconds(20))
            for round in 1...3 {
                try writer.store.apply(.update("account", id: account, [.set("name", .string("Renamed \(round)"))]))
                try await writer.sync()
            }
            let writerSeen = try #require(try await fixture.storage.devices().first { $0.user.name == "alice" }?.lastSeen)
            let summary = try await fixture.storage.compactLog(activeSince: idle ? writerSeen : 0, reclaimSpace: false)
            if idle {
                #expect(summary.floor > highWater)
            } else {
                #expect(summary.floor == highWater, "the bootstrapping device holds the floor at its snapshot")
            }
            let finished = try await fresh.sync()
            #expect(finished.resyncs == (idle ? 1 : 0))
            let server = try await fixture.states()
            let expected = server.filter { ScopeWorld.key(of: $0.value, in: server) == .territory("east") }
            #expect(try fresh.states() == expected)
        }
    }

    @Test("randomized: compaction never removes an entry an active device still needs, and every device converges", arguments: StorageBackend.all, [1, 2, 3, 4])
    func randomized(backend: StorageBackend, seed: UInt64) async throws {
        try await withFixture(backend: backend) { fixture in
            var random = SplitMix(seed: seed)
            let service = fixture.syncService()
            var replicas: [TestReplica] = []
            for name in ["alice", "bob", "carol"] {
                replicas.append(try await fixture.enroll(name))
            }
            var pending: [[Change]] = Array(repeating: [], count: replicas.count)
            var totals: [[RecordID: Int64]] = Array(repeating: [:], count: replicas.count)
            let ids = (0..<6).map { _ in newRecordID() }

            // The compaction floor so far: a device whose cursor is below it must be told to resync.
            var floor: LogSequence = 0
            var resyncs = 0
            func syncToEnd(_ index: Int) async throws {
                var first = true
                while true {
                    let changes = first ? pending[index] : []
                    let behind = replicas[index].cursor.map { $0 < floor } ?? false
                    let response = try await service.sync(replicas[index].request(pushing: changes), from: try await fixture.device(replicas[index]))
                    #expect(response.resync == behind, "resync exactly when behind the floor")
                    if response.resync { resyncs += 1 }
                    #expect(response.results.allSatisfy { $0.status != .rejected }, "\(response.results.filter { $0.status == .rejected })")
                    try replicas[index].apply(response)
                    if first { pending[index] = [] }
                    first = false
                    if replicas[index].cursor != nil && !response.hasMore { break }
                }
            }
            for index in replicas.indices { try await syncToEnd(index) }
            // Everyone knows every record before the random part.
            pending[0] = try ids.map { try replicas[0].write("account", $0, accountFields(name: "Start")) }
            try await syncToEnd(0)
            for index in replicas.indices { try await syncToEnd(index) }

            var resyncsExpected = false
            for _ in 0..<150 {
                let index = Int(random.next() % UInt64(replicas.count))
                switch random.next() % 10 {
                case 0..<5:
                    let id = ids[Int(random.next() % UInt64(ids.count))]
                    var operations: [FieldOperation]
                    switch random.next() % 4 {
                    case 0: operations = [.set("phone", "0\(random.next() % 1000)")]
                    case 1:
                        totals[index][id, default: 0] += 1
                        operations = [Self.counter("samples_given", total: totals[index][id]!)]
                    case 2: operations = [Self.tag("t\(random.next() % 3)", add: random.next() % 2 == 0)]
                    default: operations = [.set("name", "N\(random.next() % 100)"), .set("city", "C\(random.next() % 5)")]
                    }
                    pending[index].append(try replicas[index].write("account", id, operations))
                case 5..<8:
                    try await syncToEnd(index)
                default:
                    let before = Set(try await fixture.logSequences())
                    // Mostly every device counts; sometimes nobody does (all "inactive").
                    let nobody = random.next() % 4 == 0
                    let summary = try await fixture.storage.compactLog(activeSince: nobody ? Int64.max : 0, reclaimSpace: false)
                    let removed = before.subtracting(try await fixture.logSequences())
                    #expect(summary.floor >= floor, "the floor never moves back")
                    #expect(removed.allSatisfy { $0 <= summary.floor }, "only entries at or below the floor go")
                    // Devices already behind the old floor will resync; the others still follow the
                    // log, and nothing they have not applied may go.
                    let following = replicas.compactMap(\.cursor).filter { $0 >= floor }
                    if !nobody, let lowest = following.min() {
                        #expect(summary.floor <= lowest, "the floor passed an active device")
                        #expect(removed.allSatisfy { $0 <= lowest }, "an entry an active device still needs was removed")
                    }
                    if nobody { resyncsExpected = resyncsExpected || replicas.contains { ($0.cursor ?? 0) < summary.floor } }
                    floor = summary.floor
                }
            }
            for index in replicas.indices { try await syncToEnd(index) }
            for index in replicas.indices { try await syncToEnd(index) }
            let server = try await fixture.storage.records()
            for replica in replicas {
                #expect(replica.sortedRecords == server)
            }
            #expect(!resyncsExpected || resyncs > 0)
        }
    }
}

/// A small seeded generator: a failing seed replays exactly.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D4_9BB1_33A1_11EB
        return z ^ (z >> 31)
    }
}
