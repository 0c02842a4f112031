import Foundation

/// One HTTP exchange as the sync client sees it.
public struct TransportRequest: Sendable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: Data

    public init(method: String = "POST", path: String, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }
}

public struct TransportResponse: Sendable {
    public var status: Int
    /// Header names in lowercase.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// How requests reach the server. URLSession implements it for real devices; tests may pass
/// an in-process transport or a fault-injecting one.
public protocol SyncTransport: Sendable {
    /// Sends one request. Throws only for transport failures (no answer); HTTP errors come
    /// back as responses.
    func send(_ request: TransportRequest) async throws -> TransportResponse

    /// Sends a request whose answer is a stream of events (`GET /v1/watch`): returns once the
    /// status and headers arrived. Throws only for transport failures.
    func stream(_ request: TransportRequest) async throws -> StreamingResponse
}

/// An answer whose body arrives over time (`SyncTransport.stream(_:)`): the status and headers
/// once they arrived, then the body's bytes as they come.
public struct StreamingResponse: Sendable {
    public var status: Int
    /// Header names in lowercase.
    public var headers: [String: String]
    /// Ends when the server ends the body; throws when the connection fails.
    public var body: AsyncThrowingStream<Data, any Error>

    public init(status: Int, headers: [String: String] = [:], body: AsyncThrowingStream<Data, any Error>) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

extension SyncTransport {
    /// Sends a request whose answer is a stream (`GET /v1/watch`). A transport that cannot
    /// stream sends it as one exchange: the device then hears of news only when the server
    /// ends the stream, which it does not, so such a transport is for tests of everything else.
    public func stream(_ request: TransportRequest) async throws -> StreamingResponse {
        let response = try await send(request)
        return StreamingResponse(status: response.status, headers: response.headers, body: AsyncThrowingStream { continuation in
            continuation.yield(response.body)
            continuation.finish()
        })
    }
}
