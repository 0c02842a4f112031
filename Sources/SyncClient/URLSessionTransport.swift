import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The HTTP transport of a real device: URLSession against the server's base URL.
public struct URLSessionTransport: SyncTransport {
    public let baseURL: URL
    /// The reader's language, sent as `Accept-Language` with every request (a language tag
    /// such as `zh-Hans` or `en`): the server writes its error messages and per-change
    /// rejections in it. Nil sends none, and the server answers in English.
    public let language: String?
    let session: URLSession
    /// The longest silence a streamed answer may keep (`stream(_:)`).
    let streamIdleTimeout: TimeInterval

    public init(baseURL: URL, timeout: TimeInterval = 60, language: String? = nil) {
        self.baseURL = baseURL
        self.language = language
        self.streamIdleTimeout = timeout
        self.session = timeout == 60 ? Self.sharedSession : Self.makeSession(timeout: timeout)
    }

    /// One session for every transport of the process: each URLSession on Linux runs its own
    /// curl multi handle, and many of them in one process (a load generator, the benchmark)
    /// slow each other down.
    static let sharedSession = makeSession(timeout: 60)

    static func makeSession(timeout: TimeInterval) -> URLSession {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 64
        return URLSession(configuration: configuration)
    }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let (data, response) = try await session.data(for: urlRequest(for: request))
        guard let http = response as? HTTPURLResponse else {
            throw URLError(.badServerResponse)
        }
        return TransportResponse(status: http.statusCode, headers: http.lowercasedHeaders, body: data)
    }

    /// The URLRequest of a request: its path and query under the base URL, its headers and body.
    func urlRequest(for request: TransportRequest) -> URLRequest {
        let path = request.path.hasPrefix("/") ? String(request.path.dropFirst()) : request.path
        // A query (admin listings) stays a query instead of being escaped into the path.
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var url = baseURL.appendingPathComponent(String(parts[0]))
        if parts.count > 1, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            components.percentEncodedQuery = String(parts[1])
            url = components.url ?? url
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        if let language { urlRequest.setValue(language, forHTTPHeaderField: "Accept-Language") }
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }
        return urlRequest
    }
}

extension HTTPURLResponse {
    /// The headers, names in lowercase.
    var lowercasedHeaders: [String: String] {
        var headers: [String: String] = [:]
        for (name, value) in allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return headers
    }
}
