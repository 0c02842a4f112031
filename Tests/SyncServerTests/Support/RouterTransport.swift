import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SyncClient
import SyncCore

/// A `SyncTransport` that sends a real device's requests through the router under test (no
/// socket), and lets the test look at every sync answer before the device applies it.
struct RouterTransport: SyncTransport {
    let client: any TestClientProtocol
    /// Called with every successful `POST /v1/sync` answer, decoded.
    let inspect: @Sendable (SyncResponse) async throws -> Void

    init(client: any TestClientProtocol, inspect: @escaping @Sendable (SyncResponse) async throws -> Void = { _ in }) {
        self.client = client
        self.inspect = inspect
    }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        var headers = HTTPFields()
        for (name, value) in request.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        let method = HTTPRequest.Method(request.method) ?? .post
        let response = try await client.execute(uri: request.path, method: method, headers: headers, body: ByteBuffer(bytes: request.body))
        var responseHeaders: [String: String] = [:]
        for field in response.headers { responseHeaders[field.name.canonicalName] = field.value }
        let body = Data(response.body.readableBytesView)
        if request.path == "/v1/sync" && response.status == .ok {
            let plain = Gzip.isCompressed(body) ? try Gzip.decompress(body) : body
            try await inspect(try JSONDecoder().decode(SyncResponse.self, from: plain))
        }
        return TransportResponse(status: Int(response.status.code), headers: responseHeaders, body: body)
    }
}
