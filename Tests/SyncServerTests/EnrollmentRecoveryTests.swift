import CRM
import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncClient
import SyncCore
import SyncStore
import Testing

@testable import SyncServer

/// Issue 13, items 1 and 2: an enrollment whose answer was lost is retried with the same code;
/// a revoked device comes back with a new code and pushes its outbox; a wiped device is told to
/// delete its store and nothing more is accepted from it.
@Suite("Enrollment recovery: retries, re-enrollment and wipes")
struct EnrollmentRecoveryTests {
    @Test("a retried enrollment (same replica, same code) gets a new token; the old token gets 401; another replica is still refused", arguments: StorageBackend.all)
    func retriedEnrollmentRotatesToken(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let code = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["east"]).enrollmentCode
                let replica = ReplicaID()
                // The first answer is lost on its way back: the device never sees this token.
                let lost = try await client.postJSON("/v1/enroll", EnrollRequest(code: code, replica: replica, deviceName: "phone"))
                #expect(lost.status == .created)
                let lostToken = try decodeBody(EnrollResponse.self, lost).token

                let retry = try await client.postJSON("/v1/enroll", EnrollRequest(code: code, replica: replica, deviceName: "phone"))
                #expect(retry.status == .created, "\(String(buffer: retry.body))")
                let enrolled = try decodeBody(EnrollResponse.self, retry)
                #expect(enrolled.user == "alice")
                #expect(enrolled.territories == ["east"])
                #expect(enrolled.token != lostToken)

                let stale = TestReplica(replica: replica, token: lostToken)
                let refused = try await client.postJSON("/v1/sync", stale.request(), token: stale.token)
                #expect(refused.status == .unauthorized)
                #expect(try errorCode(refused) == "unauthorized")

                // The consumed code is bound to the replica it enrolled: another one cannot use it.
                let other = try await client.postJSON("/v1/enroll", EnrollRequest(code: code, replica: ReplicaID(), deviceName: "tablet"))
                #expect(other.status == .unauthorized)
                #expect(try errorCode(other) == "invalid_enrollment_code")

                var device = TestReplica(replica: replica, token: enrolled.token)
                try await client.syncUntilDone(&device)
                let devices = try await fixture.storage.devices()
                #expect(devices.map(\.replica) == [replica])
                #expect(devices.allSatisfy { !$0.isRevoked && !$0.isWiped })
            }
        }
    }

    @Test("the device's first sync retires the code: a later replay is refused and the token keeps working", arguments: StorageBackend.all)
    func firstSyncRetiresCode(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let code = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["east"]).enrollmentCode
                let replica = ReplicaID()
                let response = try await fixture.accounts.enroll(EnrollRequest(code: code, replica: replica, deviceName: "phone"))
                var device = TestReplica(replica: replica, token: response.token)
                try await client.syncUntilDone(&device)

                let replay = try await client.postJSON("/v1/enroll", EnrollRequest(code: code, replica: replica, deviceName: "phone"))
                #expect(replay.status == .unauthorized)
                #expect(try errorCode(replay) == "invalid_enrollment_code")
                try await client.syncUntilDone(&device)
            }
        }
    }

    @Test("a replay of the consumed code does not undo a revocation", arguments: StorageBackend.all)
    func consumedCodeDoesNotUndoRevocation(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let code = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["east"]).enrollmentCode
            let replica = ReplicaID()
            let first = try await fixture.accounts.enroll(EnrollRequest(code: code, replica: replica, deviceName: "phone"))
            try await fixture.accounts.revokeDevice(replica)
            await #expect(throws: ServerError.revokedDevice) {
                _ = try await fixture.accounts.enroll(EnrollRequest(code: code, replica: replica, deviceName: "phone"))
            }
            #expect(try await fixture.storage.devices().first?.isRevoked == true)
            await #expect(throws: ServerError.revokedDevice) {
                _ = try await fixture.accounts.authenticate(authorization: "Bearer \(first.token)")
            }
        }
    }

    @Test("a revoked device re-enrolls with a new code of its user, keeps its unsynced edits and pushes them; the old token gets 401")
    func revokedDeviceComesBack() async throws {
        try await ScopeTests.withWorld { world in
            let acme = try await ScopeTests.seedAccount(world, territory: "east")
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            try await alice.sync()
            let oldToken = try #require(try alice.store.setting("token"))
            let edit = try alice.store.apply(.update("account", id: acme.account, [.set("phone", .string("021-1111-2222"))]))
            let created = try alice.store.apply(.create("contact", CRMRecords.contact("Offline contact", account: acme.account)))
            try await world.fixture.accounts.revokeDevice(alice.replica)
            await #expect(throws: SyncClientError.self) { try await alice.sync() }

            let code = try await world.fixture.accounts.issueEnrollmentCode(for: "alice")
            try await alice.client.enroll(code: code, deviceName: "alice-phone", serverURL: "http://router")
            let summary = try await alice.sync()
            #expect(summary.accepted == 2)
            #expect(try alice.store.outbox().isEmpty)
            #expect(try await world.fixture.storage.record(entity: "account", id: acme.account)?.value(of: "phone") == .string("021-1111-2222"))
            #expect(try await world.fixture.storage.record(entity: "contact", id: created.recordID) != nil)
            #expect(edit.dot.replica == alice.replica)
            let devices = try await world.fixture.storage.devices()
            #expect(devices.count == 1)
            #expect(devices.first?.isRevoked == false)
            await #expect(throws: ServerError(.unauthorized, .invalidDeviceToken)) {
                _ = try await world.fixture.accounts.authenticate(authorization: "Bearer \(oldToken)")
            }
            try await world.expectConverged(alice, made: [edit, created])
        }
    }

    @Test("a replica of one user is refused another user's code, also once revoked, and the code stays unused", arguments: StorageBackend.all)
    func replicaOfAnotherUser(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let replica = ReplicaID()
            let alice = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["east"])
            _ = try await fixture.accounts.enroll(EnrollRequest(code: alice.enrollmentCode, replica: replica, deviceName: "phone"))
            let bob = try await fixture.accounts.createUser(name: "bob", role: .rep, territories: ["west"])
            for revoked in [false, true] {
                if revoked { try await fixture.accounts.revokeDevice(replica) }
                do {
                    _ = try await fixture.accounts.enroll(EnrollRequest(code: bob.enrollmentCode, replica: replica, deviceName: "phone"))
                    Issue.record("bob's code enrolled alice's replica (revoked: \(revoked))")
                } catch let error as ServerError {
                    #expect(error.code == .replicaAlreadyEnrolled)
                }
            }
            #expect(try await fixture.storage.devices().map(\.user.name) == ["alice"])
            _ = try await fixture.accounts.enroll(EnrollRequest(code: bob.enrollmentCode, replica: ReplicaID(), deviceName: "phone"))
        }
    }

    @Test("an admin moves a revoked device to another user: that user's new code re-enrolls it and its outbox is pushed as theirs")
    func reassignedDeviceComesBackAsAnotherUser() async throws {
        try await ScopeTests.withWorld { world in
            let acme = try await ScopeTests.seedAccount(world, territory: "east")
            let admin = try await world.fixture.enroll("root", role: .admin, territories: [])
            let alice = try await world.device("alice-phone", user: "alice", territories: ["east"])
            try await alice.sync()
            let edit = try alice.store.apply(.update("account", id: acme.account, [.set("phone", .string("021-3333-4444"))]))
            _ = try await world.fixture.accounts.createUser(name: "bob", role: .rep, territories: ["east"])
            let uri = "/v1/admin/devices/\(alice.replica)/reassign"
            let headers: HTTPFields = [.authorization: "Bearer \(admin.token)", .contentType: "application/json"]
            let body = ByteBuffer(string: #"{"user": "bob"}"#)

            // A device in use is not moved under its holder's feet.
            let inUse = try await world.client.execute(uri: uri, method: .post, headers: headers, body: body)
            #expect(inUse.status == .conflict)
            #expect(try errorCode(inUse) == "device_not_revoked")
            try await world.fixture.accounts.revokeDevice(alice.replica)
            let noSuchUser = try await world.client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: #"{"user": "nobody"}"#))
            #expect(noSuchUser.status == .notFound)
            let moved = try await world.client.execute(uri: uri, method: .post, headers: headers, body: body)
            #expect(moved.status == .ok, "\(String(buffer: moved.body))")
            #expect(try decodeBody(AdminController<SQLiteServerStorage>.Reassigned.self, moved).user == "bob")
            let stillRevoked = try await world.fixture.storage.devices().first { $0.replica == alice.replica }
            #expect(stillRevoked?.user.name == "bob" && stillRevoked?.isRevoked == true)

            // Alice's codes no longer fit the device; Bob's does.
            let aliceCode = try await world.fixture.accounts.issueEnrollmentCode(for: "alice")
            await #expect(throws: SyncClientError.self) {
                try await alice.client.enroll(code: aliceCode, deviceName: "alice-phone", serverURL: "http://router")
            }
            let bobCode = try await world.fixture.accounts.issueEnrollmentCode(for: "bob")
            let enrolled = try await alice.client.enroll(code: bobCode, deviceName: "bob-phone", serverURL: "http://router")
            #expect(enrolled.user == "bob")
            let summary = try await alice.sync()
            #expect(summary.accepted == 1)
            #expect(try alice.store.outbox().isEmpty)
            #expect(try await world.fixture.storage.record(entity: "account", id: acme.account)?.value(of: "phone") == .string("021-3333-4444"))
            #expect(try await world.fixture.storage.recordHistory(entity: "account", id: acme.account)?.entries.last?.author.user == "bob")
            #expect(edit.dot.replica == alice.replica)
        }
    }

    @Test("a wiped device gets 410 device_wiped, nothing from it is applied, and it cannot enroll again", arguments: StorageBackend.all)
    func wipedDevice(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var rep = try await fixture.enroll("alice")
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                try await client.syncUntilDone(&rep)

                let byRep = try await client.execute(uri: "/v1/admin/devices/\(rep.replica)/wipe", method: .post, headers: [.authorization: "Bearer \(rep.token)"])
                #expect(byRep.status == .forbidden)
                let unknown = try await client.execute(uri: "/v1/admin/devices/\(ReplicaID())/wipe", method: .post, headers: [.authorization: "Bearer \(admin.token)"])
                #expect(unknown.status == .notFound)
                let wipe = try await client.execute(uri: "/v1/admin/devices/\(rep.replica)/wipe", method: .post, headers: [.authorization: "Bearer \(admin.token)"])
                #expect(wipe.status == .ok)
                let wiped = try decodeBody(AdminController<SQLiteServerStorage>.Wiped.self, wipe)
                #expect(wiped.replica == rep.replica && wiped.wiped)

                let before = try await fixture.dump()
                let change = rep.unappliedChange("account", newRecordID(), accountFields(name: "From a stolen phone"))
                let push = try await client.postJSON("/v1/sync", rep.request(pushing: [change]), token: rep.token)
                #expect(push.status == .gone)
                #expect(try errorCode(push) == "device_wiped")
                #expect(try await fixture.dump() == before)

                // A fresh code of the same user does not bring the wiped replica back, and is not used up.
                let code = try await fixture.accounts.issueEnrollmentCode(for: "alice")
                let again = try await client.postJSON("/v1/enroll", EnrollRequest(code: code, replica: rep.replica, deviceName: "phone"))
                #expect(again.status == .gone)
                #expect(try errorCode(again) == "device_wiped")
                let listed = try await client.admin([DeviceAccount].self, "/v1/admin/devices", token: admin.token)
                let device = try #require(listed.first { $0.replica == rep.replica })
                #expect(device.isWiped && device.isRevoked)
                let newPhone = try await client.postJSON("/v1/enroll", EnrollRequest(code: code, replica: ReplicaID(), deviceName: "new phone"))
                #expect(newPhone.status == .created)
            }
        }
    }
}
