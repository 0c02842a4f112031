import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

@Suite("Enrollment and auth")
struct AccountTests {
    @Test("an enrollment code works once; a new code works again", arguments: StorageBackend.all)
    func enrollmentCodeSingleUse(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let created = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["east", "west"])
                // Codes are typed by people: case and dashes do not matter.
                let typed = created.enrollmentCode.lowercased().replacingOccurrences(of: "-", with: " ")
                let replica = ReplicaID()
                let first = try await client.postJSON("/v1/enroll", EnrollRequest(code: typed, replica: replica, deviceName: "phone"))
                #expect(first.status == .created)
                let enrolled = try decodeBody(EnrollResponse.self, first)
                #expect(enrolled.user == "alice")
                #expect(enrolled.role == "rep")
                #expect(enrolled.territories == ["east", "west"])

                let second = try await client.postJSON("/v1/enroll", EnrollRequest(code: created.enrollmentCode, replica: ReplicaID(), deviceName: "tablet"))
                #expect(second.status == .unauthorized)
                #expect(try errorCode(second) == "invalid_enrollment_code")

                let again = try await fixture.accounts.issueEnrollmentCode(for: "alice")
                let third = try await client.postJSON("/v1/enroll", EnrollRequest(code: again, replica: ReplicaID(), deviceName: "tablet"))
                #expect(third.status == .created)

                // The token authenticates a sync.
                var device = TestReplica(replica: replica, token: enrolled.token)
                try await client.syncUntilDone(&device)
                #expect(device.cursor == 0)
                let devices = try await fixture.storage.devices()
                #expect(devices.count == 2)
                #expect(devices.allSatisfy { $0.user.name == "alice" })
            }
        }
    }

    @Test("one replica belongs to one user", arguments: StorageBackend.all)
    func replicaEnrollsOnce(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let replica = ReplicaID()
            let first = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["east"])
            _ = try await fixture.accounts.enroll(EnrollRequest(code: first.enrollmentCode, replica: replica, deviceName: "phone"))
            let second = try await fixture.accounts.createUser(name: "bob", role: .rep, territories: ["east"])
            await #expect(throws: ServerError(.replicaAlreadyEnrolled, .replicaAlreadyEnrolled, ["replica": replica])) {
                _ = try await fixture.accounts.enroll(EnrollRequest(code: second.enrollmentCode, replica: replica, deviceName: "phone"))
            }
            // The failed enrollment did not burn Bob's code.
            _ = try await fixture.accounts.enroll(EnrollRequest(code: second.enrollmentCode, replica: ReplicaID(), deviceName: "phone"))
        }
    }

    @Test("tokens and codes are stored only as hashes")
    func secretsAreHashed() async throws {
        try await withFixture { (fixture) async throws in
            let created = try await fixture.accounts.createUser(name: "alice", role: .rep, territories: ["east"])
            let response = try await fixture.accounts.enroll(EnrollRequest(code: created.enrollmentCode, replica: ReplicaID(), deviceName: "phone"))
            #expect(response.token.count == 43)  // 32 bytes, base64url without padding
            try await fixture.storage.close()
            var bytes = Data()
            for suffix in ["", "-wal"] {
                bytes += (try? Data(contentsOf: URL(fileURLWithPath: fixture.configuration.databasePath + suffix))) ?? Data()
            }
            #expect(bytes.range(of: Data(response.token.utf8)) == nil)
            #expect(bytes.range(of: Data(Credentials.normalizeEnrollmentCode(created.enrollmentCode).utf8)) == nil)
            #expect(bytes.range(of: Data(Credentials.tokenHash(response.token).utf8)) != nil)
        }
    }

    @Test("admin endpoints: 401 without a token, 403 for a rep, 201 for an admin", arguments: StorageBackend.all)
    func adminEndpointNeedsAdmin(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let rep = try await fixture.enroll("alice")
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                let newUser = AdminController<SQLiteServerStorage>.CreateUserRequest(name: "carol", role: .rep, territories: ["north"])
                let anonymous = try await client.postJSON("/v1/admin/users", newUser)
                #expect(anonymous.status == .unauthorized)
                #expect(try errorCode(anonymous) == "unauthorized")

                let byRep = try await client.postJSON("/v1/admin/users", newUser, token: rep.token)
                #expect(byRep.status == .forbidden)
                #expect(try errorCode(byRep) == "forbidden")
                #expect(try await fixture.storage.user(named: "carol") == nil)

                let byAdmin = try await client.postJSON("/v1/admin/users", newUser, token: admin.token)
                #expect(byAdmin.status == .created)
                let created = try decodeBody(AccountService<SQLiteServerStorage>.NewUser.self, byAdmin)
                #expect(created.user.territories == ["north"])

                let duplicate = try await client.postJSON("/v1/admin/users", newUser, token: admin.token)
                #expect(duplicate.status == .conflict)
                #expect(try errorCode(duplicate) == "user_exists")

                let enroll = try await client.postJSON("/v1/enroll", EnrollRequest(code: created.enrollmentCode, replica: ReplicaID(), deviceName: "carol"))
                #expect(enroll.status == .created)

                let devices = try await client.execute(uri: "/v1/admin/devices", method: .get, headers: [.authorization: "Bearer \(admin.token)"])
                #expect(devices.status == .ok)
                #expect(try decodeBody([DeviceAccount].self, devices).count == 3)
                let devicesByRep = try await client.execute(uri: "/v1/admin/devices", method: .get, headers: [.authorization: "Bearer \(rep.token)"])
                #expect(devicesByRep.status == .forbidden)
            }
        }
    }

    @Test("a revoked device gets device_revoked", arguments: StorageBackend.all)
    func revokedDevice(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var rep = try await fixture.enroll("alice")
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                try await client.syncUntilDone(&rep)
                let revoke = try await client.execute(
                    uri: "/v1/admin/devices/\(rep.replica)/revoke", method: .post, headers: [.authorization: "Bearer \(admin.token)"]
                )
                #expect(revoke.status == .ok)
                let response = try await client.postJSON("/v1/sync", rep.request(), token: rep.token)
                #expect(response.status == .unauthorized)
                #expect(try errorCode(response) == "device_revoked")
            }
        }
    }

    @Test("user names, roles and territories are checked", arguments: StorageBackend.all)
    func userValidation(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            for (name, role, territories) in [("Alice!", Role.rep, ["east"]), ("bob", .rep, []), ("", .admin, [])] {
                await #expect(throws: ServerError.self) {
                    _ = try await fixture.accounts.createUser(name: name, role: role, territories: territories)
                }
            }
            _ = try await fixture.accounts.createUser(name: "root", role: .admin, territories: [])
        }
    }
}

@Suite("Credentials")
struct CredentialsTests {
    @Test("enrollment codes: 16 Crockford characters in groups, normalised when typed")
    func enrollmentCodes() {
        let code = Credentials.makeEnrollmentCode()
        #expect(code.count == 19)
        #expect(code.split(separator: "-").map(\.count) == [4, 4, 4, 4])
        #expect(Credentials.enrollmentCodeHash(code.lowercased()) == Credentials.enrollmentCodeHash(code))
        #expect(Credentials.normalizeEnrollmentCode("ab0o-IL1") == "AB00111")
        #expect(Credentials.makeEnrollmentCode() != code)
    }

    @Test("constant-time comparison agrees with ==")
    func constantTimeEquals() {
        #expect(Credentials.constantTimeEquals("abc", "abc"))
        #expect(!Credentials.constantTimeEquals("abc", "abd"))
        #expect(!Credentials.constantTimeEquals("abc", "abcd"))
    }

    @Test("SHA-256 matches the known vector")
    func sha256() {
        #expect(Credentials.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
