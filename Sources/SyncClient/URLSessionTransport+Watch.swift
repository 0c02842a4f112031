import Foundation
import Synchronization
import SyncCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The watch connection over URLSession: server-sent events read as they stream in, through
/// a data delegate. (URLSession's `webSocketTask` needs a libcurl built with WebSocket support,
/// which the Linux distributions' libcurl 7.x is not; a streamed GET works everywhere.)
extension URLSessionTransport: WatchTransport {
    public func announcements(_ request: TransportRequest, silence: Duration) -> AsyncThrowingStream<LiveAnnouncement, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: LiveAnnouncement.self)
        let url = baseURL.appendingPathComponent(request.path.hasPrefix("/") ? String(request.path.dropFirst()) : request.path)
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        let configuration = URLSessionConfiguration.ephemeral
        let seconds = Double(silence.components.seconds) + Double(silence.components.attoseconds) / 1e18
        // The longest wait for the next bytes: a silent connection is dead.
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = 365 * 24 * 3600
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let delegate = WatchStreamDelegate(continuation)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        // One session per watch: its delegate is the stream's reader.
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        let task = session.dataTask(with: urlRequest)
        continuation.onTermination = { _ in
            task.cancel()
            session.invalidateAndCancel()
        }
        task.resume()
        return stream
    }
}

/// Reads one watch response as it arrives. URLSession calls it on one serial queue.
final class WatchStreamDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var reader = ServerSentEventReader()
        var refusal = Data()
    }

    private let continuation: AsyncThrowingStream<LiveAnnouncement, any Error>.Continuation
    private let state = Mutex(State())

    init(_ continuation: AsyncThrowingStream<LiveAnnouncement, any Error>.Continuation) {
        self.continuation = continuation
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let status = (dataTask.response as? HTTPURLResponse)?.statusCode
        let result: Result<[LiveAnnouncement], SyncClientError> = state.withLock { state in
            guard status == 200 else {
                // A refusal's JSON error body; bounded, it is small.
                if state.refusal.count < 64 * 1024 { state.refusal.append(data) }
                return .success([])
            }
            do {
                return .success(try state.reader.feed(data))
            } catch {
                return .failure(SyncClientError(code: "bad_response", message: "the watch stream sent a line longer than \(ServerSentEventReader.maxLineBytes) bytes"))
            }
        }
        switch result {
        case .success(let announcements):
            for announcement in announcements { continuation.yield(announcement) }
        case .failure(let error):
            continuation.finish(throwing: error)
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let refusal = state.withLock { $0.refusal }
        if let response = task.response as? HTTPURLResponse, response.statusCode != 200 {
            var headers: [String: String] = [:]
            for (name, value) in response.allHeaderFields {
                if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
            }
            continuation.finish(throwing: TransportResponse(status: response.statusCode, headers: headers).failure(body: refusal))
        } else if let error {
            continuation.finish(throwing: SyncClientError(code: "network_error", message: "the watch connection failed: \(error.localizedDescription)"))
        } else {
            continuation.finish(throwing: SyncClientError(code: "network_error", message: "the server ended the watch connection"))
        }
        session.finishTasksAndInvalidate()
    }
}
