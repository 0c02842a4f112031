import Foundation
import SyncCore

/// Why a watching device synced (`SyncClient.watch`).
public enum WatchReason: String, Sendable, Codable {
    /// The first sync of the watch.
    case start
    /// The server said the device's scope has news.
    case news
    /// The device's own edits are waiting in the outbox.
    case localEdit = "local_edit"
    /// The poll interval passed (a notification may have been lost).
    case poll
    /// The sync before failed and is tried again.
    case retry
}

/// What a watch tells its caller, as it happens.
public enum WatchReport: Sendable {
    case synced(SyncSummary, reason: WatchReason)
    /// The news stream is open (again).
    case listening
    /// The news stream failed or ended; it reconnects after the delay (the polls go on).
    case streamLost(SyncClientError, retryIn: Duration)
    /// A sync failed; it is tried again after the delay.
    case syncFailed(SyncClientError, retryIn: Duration)
}

/// How a device watches.
public struct WatchOptions: Sendable {
    /// A sync at least this often, whatever the stream says: a lost notification costs at most
    /// this much delay.
    public var pollInterval: Duration
    /// How often the outbox is looked at for new local edits (a read of the device's own store).
    public var editCheckInterval: Duration
    /// The waits between failed attempts, of the stream's connection and of syncs.
    public var backoff: RetryPolicy

    public init(
        pollInterval: Duration = .seconds(60), editCheckInterval: Duration = .seconds(1),
        backoff: RetryPolicy = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(500), maxDelay: .seconds(30))
    ) {
        self.pollInterval = pollInterval
        self.editCheckInterval = editCheckInterval
        self.backoff = backoff
    }
}

extension SyncClient {
    /// Keeps the device in sync while it is online: syncs, then keeps `GET /v1/watch` open and
    /// syncs whenever the server says the device's scope has news, whenever the device's own
    /// edits wait in the outbox, and every `pollInterval`. A lost connection is opened again
    /// with backoff, and the server checks the log from the device's position when it does, so
    /// nothing committed while the stream was down is missed. Runs until cancelled; throws only
    /// what no retry can help (a revoked device, a refused token).
    public func watch(_ options: WatchOptions = WatchOptions(), report: @escaping @Sendable (WatchReport) -> Void) async throws {
        let (wakes, wake) = AsyncStream<WatchReason>.makeStream(bufferingPolicy: .bufferingNewest(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.listenForNews(options, wake: wake, report: report) }
            group.addTask { try await self.watchLocalEdits(options, wake: wake) }
            group.addTask {
                while true {
                    try await Task.sleep(for: options.pollInterval)
                    wake.yield(.poll)
                }
            }
            group.addTask {
                var reason = WatchReason.start
                var failures = 0
                var pending = wakes.makeAsyncIterator()
                while !Task.isCancelled {
                    do {
                        let summary = try await self.sync()
                        failures = 0
                        report(.synced(summary, reason: reason))
                    } catch let error as SyncClientError where error.isRetryable {
                        failures += 1
                        let delay = max(options.backoff.delay(beforeAttempt: failures + 1), error.retryAfter ?? .zero)
                        report(.syncFailed(error, retryIn: delay))
                        try await Task.sleep(for: delay)
                        reason = .retry
                        continue
                    }
                    guard let next = await pending.next() else { return }
                    reason = next
                }
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// Wakes the sync loop when the outbox holds an edit newer than any seen before (a change
    /// the server refused stays in the outbox and does not count again).
    private func watchLocalEdits(_ options: WatchOptions, wake: AsyncStream<WatchReason>.Continuation) async throws {
        var newest = try store.newestPendingCounter() ?? 0
        while true {
            try await Task.sleep(for: options.editCheckInterval)
            if let counter = try store.newestPendingCounter(), counter > newest {
                newest = counter
                wake.yield(.localEdit)
            }
        }
    }

    /// Keeps the news stream open, reconnecting with backoff, and wakes the sync loop for each
    /// `news` event.
    private func listenForNews(_ options: WatchOptions, wake: AsyncStream<WatchReason>.Continuation, report: @Sendable (WatchReport) -> Void) async throws {
        var failures = 0
        while true {
            let lost: SyncClientError
            do {
                guard let token = try store.setting("token") else { throw SyncClientError.notEnrolled }
                guard let cursor = try store.cursor() else {
                    // Still bootstrapping: the sync loop finishes it first.
                    try await Task.sleep(for: options.editCheckInterval)
                    continue
                }
                let request = TransportRequest(
                    method: "GET", path: "/v1/watch?after=\(cursor)",
                    headers: ["Authorization": "Bearer \(token)", "Accept": "text/event-stream"]
                )
                let response = try await transport.stream(request)
                guard (200..<300).contains(response.status) else {
                    throw try await Self.refusal(of: response)
                }
                var events = ServerSentEvents()
                for try await chunk in response.body {
                    for event in try events.feed(chunk) {
                        switch event.name {
                        case "ready":
                            failures = 0
                            report(.listening)
                        case "news":
                            wake.yield(.news)
                        default:
                            break
                        }
                    }
                }
                lost = SyncClientError(code: "network_error", message: "the server ended the news stream")
            } catch let error as SyncClientError where error.isRetryable {
                lost = error
            } catch let error as SyncClientError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                lost = SyncClientError.unreachable(error)
            }
            failures += 1
            let delay = max(options.backoff.delay(beforeAttempt: failures + 1), lost.retryAfter ?? .zero)
            report(.streamLost(lost, retryIn: delay))
            try await Task.sleep(for: delay)
        }
    }

    /// The server's refusal of a stream, read from its (short) body.
    private static func refusal(of response: StreamingResponse) async throws -> SyncClientError {
        var body = Data()
        for try await chunk in response.body where body.count < 65_536 {
            body.append(chunk)
        }
        struct Nothing: Decodable {}
        do {
            let _: Nothing = try TransportResponse(status: response.status, headers: response.headers, body: body).answer(unreadableCode: "bad_response")
        } catch let error as SyncClientError {
            return error
        }
        return SyncClientError(code: "http_\(response.status)", message: "the server answered HTTP \(response.status)", status: response.status)
    }
}

/// Reads a `text/event-stream` as it arrives: events are `field: value` lines ended by a blank
/// line (`event` names one, `data` carries its value); lines starting with `:` are comments
/// (the server's pings).
public struct ServerSentEvents: Sendable {
    public struct Event: Sendable, Hashable {
        public var name: String
        public var data: String

        public init(name: String, data: String) {
            self.name = name
            self.data = data
        }
    }

    /// The longest line accepted: a stream that sends more without a line break is not ours.
    static let maxLineBytes = 65_536

    private var line: [UInt8] = []
    private var name = ""
    private var data: [String] = []

    public init() {}

    /// The events `bytes` completes.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [Event] {
        var events: [Event] = []
        for byte in bytes {
            guard byte == UInt8(ascii: "\n") else {
                line.append(byte)
                guard line.count <= Self.maxLineBytes else {
                    throw SyncClientError(code: "bad_response", message: "the server's news stream has a line longer than \(Self.maxLineBytes) bytes")
                }
                continue
            }
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            let text = String(decoding: line, as: UTF8.self)
            line.removeAll(keepingCapacity: true)
            if text.isEmpty {
                if !name.isEmpty || !data.isEmpty {
                    events.append(Event(name: name.isEmpty ? "message" : name, data: data.joined(separator: "\n")))
                }
                name = ""
                data = []
            } else if !text.hasPrefix(":") {
                let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                var value = parts.count > 1 ? parts[1] : ""
                if value.hasPrefix(" ") { value = value.dropFirst() }
                switch parts[0] {
                case "event": name = String(value)
                case "data": data.append(String(value))
                default: break
                }
            }
        }
        return events
    }
}
