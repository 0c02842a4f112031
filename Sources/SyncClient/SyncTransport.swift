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
}
