import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

extension TestClientProtocol {
    /// GETs a path with an optional bearer token.
    func getJSON(_ uri: String, token: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .get, headers: headers)
    }

    /// GETs an admin endpoint and decodes its answer, expecting 200.
    func admin<T: Decodable>(_ type: T.Type, _ uri: String, token: String) async throws -> T {
        let response = try await getJSON(uri, token: token)
        try #require(response.status == .ok, "GET \(uri): \(response.status) \(String(buffer: response.body))")
        return try decodeBody(type, response)
    }

    /// POSTs to an admin endpoint and decodes its answer, expecting 200.
    func adminPost<T: Decodable>(_ type: T.Type, _ uri: String, _ body: some Encodable, token: String) async throws -> T {
        let response = try await postJSON(uri, body, token: token)
        try #require(response.status == .ok, "POST \(uri): \(response.status) \(String(buffer: response.body))")
        return try decodeBody(type, response)
    }

    /// Posts a web form with an optional cookie.
    func postForm(_ uri: String, _ fields: [String: String], cookie: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let body = fields.sorted { $0.key < $1.key }.map { "\(FormBody.encode($0.key))=\(FormBody.encode($0.value))" }.joined(separator: "&")
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func getPage(_ uri: String, cookie: String?, acceptLanguage: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        if let acceptLanguage { headers[.acceptLanguage] = acceptLanguage }
        return try await execute(uri: uri, method: .get, headers: headers)
    }
}

/// Two reps and an admin with devices, an account both reps hold, and a concurrent edit of its
/// phone that the server logged as a conflict.
struct ConcurrentPhoneScenario {
    var alice: TestReplica
    var bob: TestReplica
    var admin: TestReplica
    let account: RecordID

    static func make(_ fixture: ServerFixture, _ client: some TestClientProtocol) async throws -> ConcurrentPhoneScenario {
        var alice = try await fixture.enroll("alice")
        var bob = try await fixture.enroll("bob")
        let admin = try await fixture.enroll("root", role: .admin, territories: [])
        let account = newRecordID()
        try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, accountFields(name: "Acme Tea") + [.set("city", "Shanghai")])])
        try await client.syncUntilDone(&bob)
        let fromAlice = try alice.write("account", account, [.set("phone", "021-5555-0100")])
        let fromBob = try bob.write("account", account, [.set("phone", "021-5555-0199")])
        try await client.syncUntilDone(&alice, pushing: [fromAlice])
        try await client.syncUntilDone(&bob, pushing: [fromBob])
        return ConcurrentPhoneScenario(alice: alice, bob: bob, admin: admin, account: account)
    }
}

/// The session cookie a login response sets, as a `Cookie` request header value.
func sessionCookie(_ response: TestResponse) -> String? {
    guard let header = response.headers[.setCookie], let pair = header.split(separator: ";").first else { return nil }
    return String(pair)
}
