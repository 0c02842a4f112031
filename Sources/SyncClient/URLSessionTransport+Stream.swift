import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension URLSessionTransport {
    /// A streamed answer through URLSession's data delegate, which on Linux hands over each
    /// chunk as it arrives (swift-corelibs-foundation has no `bytes(for:)`). Each stream has a
    /// session of its own: a session's delegate is fixed when it is made. `idleTimeout` bounds
    /// the silence between chunks (the server pings), not the stream's length.
    public func stream(_ request: TransportRequest) async throws -> StreamingResponse {
        let delegate = StreamDelegate()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = streamIdleTimeout
        configuration.timeoutIntervalForResource = 7 * 24 * 3600
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        let task = session.dataTask(with: urlRequest(for: request))
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<StreamingResponse, any Error>) in
                delegate.start(task: task, session: session, head: continuation)
            }
        } onCancel: {
            task.cancel()
        }
    }
}

/// Turns URLSession's delegate calls for one data task into a `StreamingResponse`.
final class StreamDelegate: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var head: CheckedContinuation<StreamingResponse, any Error>?
        var body: AsyncThrowingStream<Data, any Error>.Continuation?
        var session: URLSession?
    }

    private let state = Mutex(State())

    func start(task: URLSessionDataTask, session: URLSession, head: CheckedContinuation<StreamingResponse, any Error>) {
        state.withLock { state in
            state.head = head
            state.session = session
        }
        task.resume()
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let (body, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.onTermination = { _ in dataTask.cancel() }
        let http = response as? HTTPURLResponse
        let status = http?.statusCode ?? 0
        let headers = http?.lowercasedHeaders ?? [:]
        let head = state.withLock { state in
            state.body = continuation
            defer { state.head = nil }
            return state.head
        }
        completionHandler(.allow)
        head?.resume(returning: StreamingResponse(status: status, headers: headers, body: body))
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        _ = state.withLock { $0.body }?.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (head, body, owned) = state.withLock { state in
            defer { state = State() }
            return (state.head, state.body, state.session)
        }
        if let head {
            head.resume(throwing: error ?? URLError(.badServerResponse))
        }
        if let error { body?.finish(throwing: error) } else { body?.finish() }
        owned?.finishTasksAndInvalidate()
    }
}
