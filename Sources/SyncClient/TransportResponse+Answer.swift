import Foundation
import SyncCore

extension SyncTransport {
    /// Sends a request; a transport failure becomes `network_error` (retryable), client errors
    /// and cancellation pass through.
    func sendReportingNetworkErrors(_ request: TransportRequest) async throws -> TransportResponse {
        do {
            return try await send(request)
        } catch let error as SyncClientError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw SyncClientError.unreachable(error)
        }
    }
}

extension TransportResponse {
    /// The JSON answer (gzip or not) as `Answer`; a non-2xx status becomes the server's error
    /// code (with `Retry-After`, capped at 300 s), an answer that cannot be read becomes
    /// `unreadableCode` (`network_error` where a retry may help, `bad_response` where not).
    func answer<Answer: Decodable>(unreadableCode: String) throws -> Answer {
        var body = self.body
        if Gzip.isCompressed(body) {
            do {
                body = try Gzip.decompress(body)
            } catch {
                throw SyncClientError(code: "bad_response", message: "the server sent a corrupt gzip body", status: status)
            }
        }
        guard (200..<300).contains(status) else {
            if let error = try? JSONDecoder().decode(ErrorBody.self, from: body) {
                var failure = SyncClientError(code: error.error.code, message: error.error.message, status: status)
                failure.retryAfter = headers["retry-after"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                    .map { Duration.seconds(min(max($0, 0), 300)) }
                throw failure
            }
            throw SyncClientError(code: "http_\(status)", message: "the server answered HTTP \(status)", status: status)
        }
        do {
            // Sync answers (the bulk of the bytes) are read by `JSONReader`, other answers by
            // `JSONDecoder`.
            return try JSONReader.decodeIfSupported(Answer.self, from: Array(body)) ?? JSONDecoder().decode(Answer.self, from: body)
        } catch let error as DecodingError {
            // Foundation's facts (where, what) in our sentence, which the CLI translates.
            throw SyncClientError(
                code: unreadableCode, message: "the server's answer could not be read: \(DecodingProblem(error))",
                status: unreadableCode == "network_error" ? nil : status
            )
        } catch {
            throw SyncClientError(
                code: unreadableCode, message: "the server's answer could not be read: \(error)",
                status: unreadableCode == "network_error" ? nil : status
            )
        }
    }
}
