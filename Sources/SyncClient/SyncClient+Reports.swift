import Foundation
import SyncCore

/// A report the server computed, as it answered.
public struct FetchedReport: Sendable, Hashable {
    /// The response's content type (`application/json`, `text/csv`, `image/svg+xml`).
    public var contentType: String
    /// The body, already decompressed.
    public var body: Data
}

extension SyncClient {
    /// Fetches a report the server computes over its records (`GET /v1/reports/{name}`) with
    /// this device's token; the server answers only devices of managers and admins.
    ///
    /// - Parameters:
    ///   - name: the report (`pipeline`, `churn`, …), or a chart such as `pipeline.svg`.
    ///   - query: the report parameters (`as_of`, `period`, …) and `format` (`csv`).
    /// - Throws: `SyncClientError` with the server's code (`forbidden`, `invalid_request`, …)
    ///   or `not_enrolled`.
    public func report(_ name: String, query: [String: String] = [:]) async throws -> FetchedReport {
        try await get("/v1/reports/\(Self.escapeQueryComponent(name))" + Self.queryString(query))
    }

    /// Asks the server for the territory list (`GET /v1/territories`) and keeps it in the
    /// device store, where `create` and `edit` check territories against it.
    @discardableResult
    public func refreshTerritories() async throws -> TerritoryList {
        let answer = try await get("/v1/territories")
        let list: TerritoryList
        do {
            list = try JSONDecoder().decode(TerritoryList.self, from: answer.body)
        } catch let error as DecodingError {
            throw SyncClientError(code: "bad_response", message: "the server's answer could not be read: \(DecodingProblem(error))")
        }
        try store.setTerritories(list)
        return list
    }

    /// A GET with this device's token, retried like any read.
    func get(_ path: String) async throws -> FetchedReport {
        guard let token = try store.setting("token") else { throw SyncClientError.notEnrolled }
        let request = TransportRequest(method: "GET", path: path, headers: ["Accept-Encoding": "gzip", "Authorization": "Bearer \(token)"])
        var attempt = 1
        while true {
            do {
                return try Self.readReport(try await sendReportRequest(request))
            } catch let error as SyncClientError where error.isRetryable && attempt < retry.maxAttempts {
                // A read: asking again is always safe.
                attempt += 1
                try await Task.sleep(for: retry.delay(beforeAttempt: attempt))
            }
        }
    }

    /// `?key=value&…` with keys sorted and both sides percent-encoded; empty for no items.
    static func queryString(_ query: [String: String]) -> String {
        let items = query.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { "\(escapeQueryComponent($0.key))=\(escapeQueryComponent($0.value))" }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    static func escapeQueryComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    private func sendReportRequest(_ request: TransportRequest) async throws -> TransportResponse {
        do {
            return try await transport.send(request)
        } catch let error as SyncClientError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw SyncClientError.unreachable(error)
        }
    }

    static func readReport(_ response: TransportResponse) throws -> FetchedReport {
        var body = response.body
        if Gzip.isCompressed(body) {
            do {
                body = try Gzip.decompress(body)
            } catch {
                throw SyncClientError(code: "bad_response", message: "the server sent a corrupt gzip body", status: response.status)
            }
        }
        guard (200..<300).contains(response.status) else {
            if let error = try? JSONDecoder().decode(ErrorBody.self, from: body) {
                throw SyncClientError(code: error.error.code, message: error.error.message, status: response.status)
            }
            throw SyncClientError(code: "http_\(response.status)", message: "the server answered HTTP \(response.status)", status: response.status)
        }
        return FetchedReport(contentType: response.headers["content-type"] ?? "application/octet-stream", body: body)
    }
}
