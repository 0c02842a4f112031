import Foundation
import SyncCore
import SyncStore

/// The admin API of the sync server (`/v1/admin/conflicts…`, record histories, merges of
/// duplicates), called with an admin device's token. The CLI's `fieldsync admin` commands use
/// it; it goes through the same transport as sync, so tests can pass an in-process one.
public struct AdminClient: Sendable {
    public let transport: any SyncTransport
    let token: String
    public var retry: RetryPolicy

    public init(transport: any SyncTransport, token: String, retry: RetryPolicy = RetryPolicy(maxAttempts: 3)) {
        self.transport = transport
        self.token = token
        self.retry = retry
    }

    /// A client for the server and token this device enrolled with (settings `server_url`
    /// and `token`), its error messages in `language` (`URLSessionTransport.language`).
    public init(store: DeviceStore, retry: RetryPolicy = RetryPolicy(maxAttempts: 3), language: String? = nil) throws {
        guard let server = try store.setting("server_url"), let url = URL(string: server), let token = try store.setting("token") else {
            throw SyncClientError.notEnrolled
        }
        self.init(transport: URLSessionTransport(baseURL: url, language: language), token: token, retry: retry)
    }

    /// Lists the conflict log. `query` takes the server's filter parameters: `status`, `entity`,
    /// `kind`, `territory`, `user`, `older_than`, `newer_than`, `limit`, `offset`.
    public func conflicts(_ query: [String: String] = [:]) async throws -> ConflictList {
        try await send("GET", "/v1/admin/conflicts" + Self.queryString(query))
    }

    public func conflict(id: Int64) async throws -> ConflictDetail {
        try await send("GET", "/v1/admin/conflicts/\(id)")
    }

    public func resolve(id: Int64, _ resolution: ConflictResolution) async throws -> ConflictResolutionResult {
        try await send("POST", "/v1/admin/conflicts/\(id)/resolve", body: resolution)
    }

    public func dismiss(id: Int64, reason: String) async throws -> ConflictResolutionResult {
        try await send("POST", "/v1/admin/conflicts/\(id)/dismiss", body: ConflictDismissal(reason: reason))
    }

    public func mergeDuplicates(_ request: DuplicateMergeRequest) async throws -> DuplicateMergeResult {
        try await send("POST", "/v1/admin/merge-duplicates", body: request)
    }

    public func history(entity: String, id: RecordID) async throws -> RecordHistory {
        try await send("GET", "/v1/admin/records/\(Self.escape(entity))/\(Self.escape(id))/history")
    }

    // MARK: HTTP

    static func queryString(_ query: [String: String]) -> String {
        let items = query.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { "\(escape($0.key))=\(escape($0.value))" }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private func send<Answer: Decodable>(_ method: String, _ path: String) async throws -> Answer {
        try await send(method, path, body: Optional<Int>.none)
    }

    func send<Body: Encodable, Answer: Decodable>(_ method: String, _ path: String, body: Body?) async throws -> Answer {
        var headers = ["Accept": "application/json", "Accept-Encoding": "gzip", "Authorization": "Bearer \(token)"]
        var payload = Data()
        if let body {
            payload = try SyncClient.encoder.encode(body)
            headers["Content-Type"] = "application/json"
        }
        let request = TransportRequest(method: method, path: path, headers: headers, body: payload)
        var attempt = 1
        while true {
            do {
                return try (try await transport.sendReportingNetworkErrors(request)).answer(unreadableCode: "bad_response")
            } catch let error as SyncClientError where error.isRetryable && attempt < retry.maxAttempts && method == "GET" {
                // Only reads are retried: a resolution whose answer was lost is checked, not repeated.
                attempt += 1
                try await Task.sleep(for: retry.delay(beforeAttempt: attempt))
            }
        }
    }

}
