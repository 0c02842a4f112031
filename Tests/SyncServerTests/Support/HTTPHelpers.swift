import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncCore
import Testing

@testable import SyncServer

extension TestClientProtocol {
    /// POSTs JSON, optionally gzip-encoded and with a bearer token.
    func postJSON(
        _ uri: String, _ body: some Encodable, token: String? = nil, gzip: Bool = false, acceptGzip: Bool = false
    ) async throws -> TestResponse {
        var buffer = ByteBuffer(bytes: try JSONEncoder().encode(body))
        var headers: HTTPFields = [.contentType: "application/json"]
        if gzip {
            buffer = try GzipBody.encode(buffer)
            headers[.contentEncoding] = "gzip"
        }
        if acceptGzip { headers[.acceptEncoding] = "gzip" }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: .post, headers: headers, body: buffer)
    }

    /// One sync round trip of `replica`; the response is applied to it.
    @discardableResult
    func sync(_ replica: inout TestReplica, pushing changes: [Change] = [], limit: Int? = nil) async throws -> SyncResponse {
        let response = try await postJSON("/v1/sync", replica.request(pushing: changes, limit: limit), token: replica.token)
        #expect(response.status == .ok, "sync failed: \(String(buffer: response.body))")
        let decoded = try decodeBody(SyncResponse.self, response)
        try replica.apply(decoded)
        return decoded
    }

    /// Syncs until the server has nothing more; returns the push results of the first round.
    @discardableResult
    func syncUntilDone(_ replica: inout TestReplica, pushing changes: [Change] = [], limit: Int? = nil) async throws -> [ChangeResult] {
        var response = try await sync(&replica, pushing: changes, limit: limit)
        let results = response.results
        var rounds = 0
        while response.hasMore {
            rounds += 1
            try #require(rounds < 1000, "sync did not finish")
            response = try await sync(&replica, limit: limit)
        }
        return results
    }
}

/// Decodes a JSON response body, un-gzipping it when the response says so.
func decodeBody<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    var body = response.body
    if response.headers[.contentEncoding] == "gzip" {
        body = try GzipBody.decode(body, maxBytes: 64 * 1024 * 1024)
    }
    return try JSONDecoder().decode(type, from: Data(body.readableBytesView))
}

/// The error code of a JSON error response.
func errorCode(_ response: TestResponse) throws -> String {
    try decodeBody(ErrorBody.self, response).error.code
}
