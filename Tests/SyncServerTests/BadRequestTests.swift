import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

/// Requests as a new user (or a broken client) would send them. Each must get the right 4xx
/// with a JSON error, and leave the server exactly as it was.
@Suite("Bad requests")
struct BadRequestTests {
    enum BadRequest: String, CaseIterable, CustomTestStringConvertible {
        case malformedJSON, wrongShape, emptyBody, truncatedGzip, notGzip, wrongContentType, noContentType
        case unknownContentEncoding, bodyOverLimit, gzipOverLimit, unknownProtocolVersion, missingToken, badToken
        case notBearer, revokedDevice, replicaMismatch, tooManyChanges, negativeLimit, cursorAhead

        var testDescription: String { rawValue }

        var expected: (status: Int, code: String) {
            switch self {
            case .malformedJSON, .wrongShape, .emptyBody: return (400, "malformed_json")
            case .truncatedGzip, .notGzip: return (400, "bad_encoding")
            case .wrongContentType, .noContentType, .unknownContentEncoding: return (415, "unsupported_media_type")
            case .bodyOverLimit, .gzipOverLimit: return (413, "payload_too_large")
            case .unknownProtocolVersion: return (400, "unsupported_protocol_version")
            case .missingToken, .badToken, .notBearer: return (401, "unauthorized")
            case .revokedDevice: return (401, "device_revoked")
            case .replicaMismatch: return (403, "replica_mismatch")
            case .tooManyChanges: return (413, "too_many_changes")
            case .negativeLimit: return (400, "invalid_request")
            case .cursorAhead: return (409, "cursor_ahead")
            }
        }
    }

    static let maxRequestBytes = 16 * 1024

    @Test("bad sync requests get 4xx JSON errors and change nothing", arguments: BadRequest.allCases)
    func badSyncRequest(_ bad: BadRequest) async throws {
        try await withFixture(configure: { $0.maxRequestBytes = Self.maxRequestBytes; $0.maxChangesPerRequest = 5 }) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                let account = newRecordID()
                // Some state to protect.
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, accountFields(name: "Acme"))])
                let before = try await fixture.dump()

                // Every bad request also carries a valid change that must not be applied.
                let valid = alice.unappliedChange("account", account, [.set("city", "Must Not Land")])
                var request = alice.request(pushing: [valid])
                var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(alice.token)"]
                var body = ByteBuffer(bytes: try JSONEncoder().encode(request))

                switch bad {
                case .malformedJSON:
                    body = ByteBuffer(string: #"{"protocol": 1, "replica": "#)
                case .wrongShape:
                    body = ByteBuffer(string: #"{"protocol": 1, "replica": "\#(alice.replica)", "clientTime": 1, "changes": "none"}"#)
                case .emptyBody:
                    body = ByteBuffer()
                case .truncatedGzip:
                    let gzip = try GzipBody.encode(body)
                    body = gzip.getSlice(at: gzip.readerIndex, length: gzip.readableBytes - 6) ?? ByteBuffer()
                    headers[.contentEncoding] = "gzip"
                case .notGzip:
                    headers[.contentEncoding] = "gzip"
                case .wrongContentType:
                    headers[.contentType] = "text/plain"
                case .noContentType:
                    headers[.contentType] = nil
                case .unknownContentEncoding:
                    headers[.contentEncoding] = "br"
                case .bodyOverLimit:
                    request.changes.append(alice.unappliedChange("account", account, [.set("notes", String(repeating: "x", count: Self.maxRequestBytes))]))
                    body = ByteBuffer(bytes: try JSONEncoder().encode(request))
                case .gzipOverLimit:
                    // Small on the wire, too large once decoded.
                    var padded = try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
                    padded["padding"] = String(repeating: " ", count: 4 * Self.maxRequestBytes)
                    body = try GzipBody.encode(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: padded)))
                    #expect(body.readableBytes < Self.maxRequestBytes)
                    headers[.contentEncoding] = "gzip"
                case .unknownProtocolVersion:
                    // A future version may change every other field too.
                    body = ByteBuffer(string: #"{"protocol": 2, "device": "\#(alice.replica)", "push": []}"#)
                case .missingToken:
                    headers[.authorization] = nil
                case .badToken:
                    headers[.authorization] = "Bearer \(Credentials.makeDeviceToken())"
                case .notBearer:
                    headers[.authorization] = "Basic \(alice.token)"
                case .revokedDevice:
                    try await fixture.accounts.revokeDevice(alice.replica)
                case .replicaMismatch:
                    let bob = try await fixture.enroll("bob")
                    headers[.authorization] = "Bearer \(bob.token)"
                case .tooManyChanges:
                    request.changes += (0..<5).map { _ in alice.unappliedChange("account", newRecordID(), accountFields(name: "Extra")) }
                    body = ByteBuffer(bytes: try JSONEncoder().encode(request))
                case .negativeLimit:
                    request.limit = -1
                    body = ByteBuffer(bytes: try JSONEncoder().encode(request))
                case .cursorAhead:
                    request.cursor = 99
                    body = ByteBuffer(bytes: try JSONEncoder().encode(request))
                }
                let beforeBad = try await fixture.dump()
                let response = try await client.execute(uri: "/v1/sync", method: .post, headers: headers, body: body)
                #expect(Int(response.status.code) == bad.expected.status, "\(bad): \(String(buffer: response.body))")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let error = try decodeBody(ErrorBody.self, response)
                #expect(error.error.code == bad.expected.code, "\(bad): \(error.error.message)")
                #expect(!error.error.message.isEmpty)
                #expect(try await fixture.dump() == beforeBad)
                #expect(beforeBad == before)
            }
        }
    }

    @Test("malformed JSON errors name the problem", arguments: StorageBackend.all)
    func malformedJSONMessages(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let alice = try await fixture.enroll("alice")
                let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(alice.token)"]
                let badDot = #"{"protocol":1,"replica":"\#(alice.replica)","clientTime":1,"cursor":0,"changes":[{"entity":"account","id":"x","dot":{"r":"nope","c":1},"hlc":{"ms":1,"n":0},"ctx":{},"ops":[]}]}"#
                let response = try await client.execute(uri: "/v1/sync", method: .post, headers: headers, body: ByteBuffer(string: badDot))
                let error = try decodeBody(ErrorBody.self, response).error
                #expect(error.code == "malformed_json")
                #expect(error.message.contains("changes[0].dot.r"), "\(error.message)")

                let missing = #"{"protocol":1,"replica":"\#(alice.replica)","clientTime":1}"#
                let second = try await client.execute(uri: "/v1/sync", method: .post, headers: headers, body: ByteBuffer(string: missing))
                #expect(try decodeBody(ErrorBody.self, second).error.message.contains("'changes'"))
            }
        }
    }

    @Test("changes the schema refuses are rejected one by one, and nothing else changes", arguments: StorageBackend.all)
    func schemaRejections(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                var alice = try await fixture.enroll("alice")
                let account = newRecordID()
                try await client.syncUntilDone(&alice, pushing: [try alice.write("account", account, accountFields(name: "Acme"))])
                let before = try await fixture.dump()
                let changes = [
                    alice.unappliedChange("account", account, [.set("colour", "red")]),
                    alice.unappliedChange("warehouse", newRecordID(), [.set("name", "W")]),
                    alice.unappliedChange("account", account, [.set("loyalty_points", "many")]),
                    alice.unappliedChange("account", account, [.set("tier", "Z")]),
                    alice.unappliedChange("account", account, [.set("name", .int(42))]),
                    alice.unappliedChange("product", newRecordID(), [.set("name", "Hack")]),
                    alice.unappliedChange("account", account, [.set("name", "bell\u{07}\u{1B}[31mred")]),
                    alice.unappliedChange("account", account, [.set("notes", "csi \u{9B}31m")]),
                    alice.unappliedChange("account", account, [.set("notes", "nul \u{00}")]),
                ]
                let response = try await client.postJSON("/v1/sync", alice.request(pushing: changes), token: alice.token)
                #expect(response.status == .ok)
                let results = try decodeBody(SyncResponse.self, response).results
                #expect(results.map(\.status) == Array(repeating: .rejected, count: 9))
                #expect(results.map(\.code) == [
                    "unknown_field", "unknown_entity", "kind_mismatch", "invalid_value", "type_mismatch", "read_only_entity",
                    "control_character", "control_character", "control_character",
                ])
                #expect(results.map(\.dot) == changes.map(\.dot))
                #expect(try await fixture.dump() == before)
            }
        }
    }

    @Test("unknown routes and wrong methods answer JSON 404", arguments: StorageBackend.all)
    func unknownRoute(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/v1/nothing", method: .get)
                #expect(response.status == .notFound)
                #expect(try errorCode(response) == "not_found")
                let wrongMethod = try await client.execute(uri: "/v1/sync", method: .get)
                #expect(try errorCode(wrongMethod) == "not_found")
            }
        }
    }
}
