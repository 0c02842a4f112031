import FieldSyncTestSupport
import Foundation
import Synchronization
import SyncCore
import Testing

@testable import SyncServer

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let value: Mutex<Int64>

    init(_ start: Int64 = 1_800_000_000_000) {
        value = Mutex(start)
    }

    var now: Int64 { value.withLock { $0 } }

    func advance(byMilliseconds delta: Int64) {
        value.withLock { $0 += delta }
    }

    var function: @Sendable () -> Int64 { { self.now } }
}

@Suite("SyncService rules")
struct SyncServiceTests {
    @Test("a change whose cause the server lacks is missing_dependency, and accepted once the cause arrives", arguments: StorageBackend.all)
    func missingDependencyThenAccepted(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let clock = ManualClock()
            let service = fixture.syncService(now: clock.function)
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            let account = newRecordID()
            let create = try alice.write("account", account, accountFields(name: "Acme"), physical: clock.now)
            let edit = try alice.write("account", account, [.set("city", "Beijing")], physical: clock.now)

            // The edit arrives without the create it depends on.
            let alone = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [edit]), from: device)
            #expect(alone.results.map(\.status) == [.rejected])
            #expect(alone.results.first?.code == "missing_dependency")
            #expect(try await fixture.storage.logCount() == 0)
            #expect(try await fixture.storage.record(entity: "account", id: account) == nil)

            // Both, in dot order: accepted.
            let both = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [create, edit]), from: device)
            #expect(both.results.map(\.status) == [.accepted, .accepted])
            #expect(both.results.map(\.sequence) == [1, 2])
            #expect(try await fixture.storage.record(entity: "account", id: account) == alice.record("account", account))
        }
    }

    @Test("a change stamped beyond the allowed skew is rejected with clock_skew, its dependants wait, and both pass once the clock allows", arguments: StorageBackend.all)
    func clockSkewIsRetryable(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let clock = ManualClock()
            let service = fixture.syncService(now: clock.function)
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            let account = newRecordID()
            let ahead = clock.now + 5 * 60 * 1000
            let create = try alice.write("account", account, accountFields(name: "Future Inc"), physical: ahead)
            // The device corrected its clock before the next edit.
            let edit = try alice.write("account", account, [.set("city", "Tianjin")], physical: clock.now)

            let first = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [create, edit]), from: device)
            #expect(first.results.map(\.code) == ["clock_skew", "missing_dependency"])
            #expect(first.results.first?.message?.contains("ahead of the server clock") == true)
            #expect(first.serverTime == clock.now)
            #expect(try await fixture.storage.logCount() == 0)

            clock.advance(byMilliseconds: 5 * 60 * 1000 - 30_000)
            let retry = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [create, edit]), from: device)
            #expect(retry.results.map(\.status) == [.accepted, .accepted])
        }
    }

    @Test("a retry of an accepted change is a duplicate even when the server's clock now finds it too far ahead", arguments: StorageBackend.all)
    func acceptedThenSkewedIsDuplicate(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let clock = ManualClock()
            let service = fixture.syncService(now: clock.function)
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            let create = try alice.write("account", newRecordID(), accountFields(name: "Acme"), physical: clock.now + 50_000)
            let first = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [create]), from: device)
            #expect(first.results.map(\.status) == [.accepted])
            // Another server behind a load balancer, whose clock is two minutes behind, gets
            // the retry of the lost answer: the device must drop the change, not stamp it again.
            let behind = fixture.syncService(now: { clock.now - 120_000 })
            let retry = try await behind.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: [create]), from: device)
            #expect(retry.results.map(\.status) == [.duplicate])
            // A change the server does not have is still refused for clock skew, saying what happens next.
            let ahead = try alice.write("account", newRecordID(), accountFields(name: "Later"), physical: clock.now + 50_000)
            let refused = try await behind.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: [ahead]), from: device)
            #expect(refused.results.map(\.code) == ["clock_skew"])
            #expect(refused.results.first?.message?.contains("stamps the change again") == true)
            #expect(try await fixture.storage.logCount() == 1)
        }
    }

    @Test("a copy of a push refused for clock skew, accepted once the clock allows: later pushes of the dot are duplicates naming the stamp kept", arguments: StorageBackend.all)
    func duplicateNamesTheStampKept(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let clock = ManualClock()
            let service = fixture.syncService(now: clock.function)
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            let account = newRecordID()
            let create = try alice.write("account", account, accountFields(name: "Acme"), physical: clock.now)
            let created = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [create]), from: device)
            #expect(created.results.map(\.hlc) == [create.hlc], "an accepted change's answer names its own stamp")

            let ahead = try alice.write("account", account, [.set("city", "Hangzhou")], physical: clock.now + 300_000)
            let original = SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: [ahead])
            let refused = try await service.sync(original, from: device)
            #expect(refused.results.map(\.code) == ["clock_skew"])
            #expect(refused.results.first?.hlc == nil)

            // The device stamps the change again; before its push arrives, the server's clock
            // catches up with the first stamp and a copy of the refused request is accepted.
            var restamped = ahead
            restamped.hlc = HLC(physical: clock.now)
            clock.advance(byMilliseconds: 300_000)
            let replayed = try await service.sync(original, from: device)
            #expect(replayed.results.map(\.status) == [.accepted])
            let pushed = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: [restamped]), from: device)
            #expect(pushed.results.map(\.status) == [.duplicate])
            #expect(pushed.results.map(\.hlc) == [ahead.hlc], "the duplicate names the stamp the server kept")
            // A retry refused for clock skew by a server whose clock is behind is a duplicate too.
            let behind = fixture.syncService(now: { clock.now - 600_000 })
            let retried = try await behind.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: [ahead]), from: device)
            #expect(retried.results.map(\.status) == [.duplicate])
            #expect(retried.results.map(\.hlc) == [ahead.hlc])
            let stored = try #require(try await fixture.storage.record(entity: "account", id: account))
            #expect(stored.stamp(of: ahead.dot) == ahead.hlc)

            // Once a later write covers every value the dot wrote, no stamp is named.
            let later = try alice.write("account", account, [.set("city", "Ningbo")], physical: clock.now)
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: [later]), from: device)
            let again = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: nil, changes: [restamped]), from: device)
            #expect(again.results.map(\.status) == [.duplicate])
            #expect(again.results.first?.hlc == nil)
        }
    }

    @Test("stateless checks: schema codes, dot replica, a context covering its own dot", arguments: StorageBackend.all)
    func statelessRejections(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            let id = newRecordID()
            var foreign = alice.unappliedChange("account", id, accountFields(name: "X"))
            foreign.dot = Dot(replica: ReplicaID(), counter: 1)
            var selfCovering = alice.unappliedChange("account", id, accountFields(name: "X"))
            selfCovering.context = VersionVector([alice.replica: selfCovering.dot.counter])
            let cases: [(Change, String)] = [
                (alice.unappliedChange("account", id, [.set("colour", "red")]), "unknown_field"),
                (alice.unappliedChange("spaceship", id, [.set("name", "X")]), "unknown_entity"),
                (alice.unappliedChange("account", id, [.set("name", .int(5))]), "type_mismatch"),
                (alice.unappliedChange("product", id, [.set("name", "X")]), "read_only_entity"),
                (alice.unappliedChange("account", "NOT-A-UUID", [.set("name", "X")]), "invalid_record_id"),
                (foreign, "replica_mismatch"),
                (selfCovering, "malformed_change"),
            ]
            for (change, code) in cases {
                let result = service.stateless(change, from: device, at: nowMilliseconds())
                #expect(result?.status == .rejected)
                #expect(result?.code == code, "expected \(code) for \(change.entity)")
            }
            let valid = alice.unappliedChange("account", id, accountFields(name: "Fine"))
            #expect(service.stateless(valid, from: device, at: nowMilliseconds()) == nil)
        }
    }

    @Test("request-level refusals: wrong replica, too many changes, cursor ahead, bad limit", arguments: StorageBackend.all)
    func requestRefusals(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: { $0.maxChangesPerRequest = 2 }) { (fixture) async throws in
            let service = fixture.syncService()
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            func code(_ request: SyncRequest) async -> String? {
                do {
                    _ = try await service.sync(request, from: device)
                    return nil
                } catch let error as ServerError {
                    return error.code.rawValue
                } catch {
                    return "\(error)"
                }
            }
            let changes = (0..<3).map { _ in alice.unappliedChange("account", newRecordID(), accountFields(name: "A")) }
            #expect(await code(SyncRequest(replica: ReplicaID(), clientTime: 0, cursor: 0, changes: [])) == "replica_mismatch")
            #expect(await code(SyncRequest(protocolVersion: 9, replica: alice.replica, clientTime: 0, cursor: 0, changes: [])) == "unsupported_protocol_version")
            #expect(await code(SyncRequest(replica: alice.replica, clientTime: 0, cursor: 0, changes: changes)) == "too_many_changes")
            #expect(await code(SyncRequest(replica: alice.replica, clientTime: 0, cursor: 5, changes: [])) == "cursor_ahead")
            #expect(await code(SyncRequest(replica: alice.replica, clientTime: 0, cursor: -1, changes: [])) == "invalid_request")
            #expect(await code(SyncRequest(replica: alice.replica, clientTime: 0, cursor: 0, changes: [], limit: 0)) == "invalid_request")
            #expect(try await fixture.storage.logCount() == 0)
        }
    }

    @Test("the device's acknowledged cursor and last-seen time are stored", arguments: StorageBackend.all)
    func deviceCursorIsStored(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let clock = ManualClock()
            let service = fixture.syncService(now: clock.function)
            var alice = try await fixture.enroll("alice")
            let device = try await fixture.device(alice)
            let change = try alice.write("account", newRecordID(), accountFields(name: "A"), physical: clock.now)
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 0, changes: [change]), from: device)
            clock.advance(byMilliseconds: 1000)
            _ = try await service.sync(SyncRequest(replica: alice.replica, clientTime: clock.now, cursor: 1, changes: []), from: device)
            let stored = try #require(try await fixture.storage.devices().first { $0.replica == alice.replica })
            #expect(stored.cursor == 1)
            #expect(stored.lastSeen == clock.now)
        }
    }
}

@Suite("ChangeAdmission")
struct ChangeAdmissionTests {
    let writer = ReplicaID()

    func change(_ counter: UInt64, context: VersionVector = VersionVector(), id: RecordID = "00000000-0000-4000-8000-000000000001") -> Change {
        Change(
            entity: "account", recordID: id, dot: Dot(replica: writer, counter: counter), hlc: HLC(physical: 1),
            context: context, operations: [FieldOperation(field: "name", operation: .assign(.string("n\(counter)")))]
        )
    }

    @Test("logged dot or covered dot is a duplicate")
    func duplicates() throws {
        #expect(ChangeAdmission.decide(change(1), record: nil, isLogged: true) == .duplicate)
        guard case .apply(let outcome) = ChangeAdmission.decide(change(1), record: nil, isLogged: false) else {
            Issue.record("expected apply")
            return
        }
        #expect(ChangeAdmission.decide(change(1), record: outcome.state, isLogged: false) == .duplicate)
    }

    @Test("a context the record does not cover is a missing dependency")
    func missingDependency() {
        let decision = ChangeAdmission.decide(change(2, context: VersionVector([writer: 1])), record: nil, isLogged: false)
        guard case .missingDependency(let message) = decision else {
            Issue.record("expected missing dependency, got \(decision)")
            return
        }
        #expect(message.english.contains(writer.short))
    }
}
