import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

@Suite("Admin endpoints refuse missing tokens (401) and rep tokens (403)")
struct AdminAuthTests {
    static let endpoints: [(method: HTTPRequest.Method, path: String)] = [
        (.get, "/v1/admin/conflicts"),
        (.get, "/v1/admin/conflicts/1"),
        (.post, "/v1/admin/conflicts/1/resolve"),
        (.post, "/v1/admin/conflicts/1/dismiss"),
        (.post, "/v1/admin/merge-duplicates"),
        (.get, "/v1/admin/records/account/0190a0b0-0000-7000-8000-000000000001/history"),
        (.get, "/v1/admin/users"),
        (.get, "/v1/admin/devices"),
    ]

    @Test("every admin endpoint", arguments: endpoints.indices)
    func refusesNonAdmins(_ index: Int) async throws {
        let endpoint = Self.endpoints[index]
        try await withFixture { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let rep = try await fixture.enroll("alice")
                let manager = try await fixture.enroll("mia", role: .manager, territories: ["east"])
                let before = try await fixture.dump()
                let body = ByteBuffer(string: #"{"action": "keep", "reason": "x", "survivor": "a", "duplicate": "b"}"#)
                func call(_ token: String?) async throws -> TestResponse {
                    var headers: HTTPFields = [.contentType: "application/json"]
                    if let token { headers[.authorization] = "Bearer \(token)" }
                    return try await client.execute(uri: endpoint.path, method: endpoint.method, headers: headers, body: endpoint.method == .post ? body : nil)
                }
                let anonymous = try await call(nil)
                #expect(anonymous.status == .unauthorized, "\(endpoint.path) without a token")
                #expect(try errorCode(anonymous) == "unauthorized")
                let forged = try await call("not-a-token")
                #expect(forged.status == .unauthorized, "\(endpoint.path) with a bad token")
                for token in [rep.token, manager.token] {
                    let response = try await call(token)
                    #expect(response.status == .forbidden, "\(endpoint.path) with a non-admin token")
                    #expect(try errorCode(response) == "forbidden")
                }
                #expect(try await fixture.dump() == before, "a refused request changed nothing")
            }
        }
    }

    @Test("a revoked admin device is refused", arguments: StorageBackend.all)
    func revokedAdmin(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let admin = try await fixture.enroll("root", role: .admin, territories: [])
                #expect(try await client.getJSON("/v1/admin/conflicts", token: admin.token).status == .ok)
                try await fixture.accounts.revokeDevice(admin.replica)
                let response = try await client.getJSON("/v1/admin/conflicts", token: admin.token)
                #expect(response.status == .unauthorized)
                #expect(try errorCode(response) == "device_revoked")
            }
        }
    }
}
