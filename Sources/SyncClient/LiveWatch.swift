import Foundation
import Logging
import Synchronization
import SyncCore
import SyncStore

/// `fieldsync sync --watch`: syncs, then stays connected and syncs again whenever there is
/// something to sync, until `stop()`.
///
/// A sync runs when
/// - the server announces a log position past the device's cursor (the watch connection,
///   reconnected with `reconnect`'s backoff whenever it drops; every connection starts with the
///   current position, so news missed while disconnected is caught up at once);
/// - another process commits to the device's store (edits to push), checked every
///   `localCheckInterval`;
/// - `pollInterval` passed since the last sync: a lost announcement costs at most that.
///
/// Requests that fail for a reason a retry may cure (no answer, 5xx, 429) are reported and
/// wait for the next occasion; a refusal that no retry cures (the token revoked, the device
/// wiped) ends the watch with that error. `stop()` lets a running sync finish: every write is
/// in the store or in the outbox, nothing is lost.
public final class LiveWatch: Sendable {
    public struct Options: Sendable {
        /// The longest time between two syncs.
        public var pollInterval: Duration
        /// How often the store is checked for edits made by another process.
        public var localCheckInterval: Duration
        /// A watch connection silent this long is taken for dead (the server pings every 15 s
        /// by default).
        public var silence: Duration
        /// The backoff between attempts to (re)open the watch connection; its `maxAttempts`
        /// is ignored, the watch never gives up.
        public var reconnect: RetryPolicy

        public init(
            pollInterval: Duration = .seconds(60), localCheckInterval: Duration = .milliseconds(250),
            silence: Duration = .seconds(45), reconnect: RetryPolicy = RetryPolicy(baseDelay: .milliseconds(250), maxDelay: .seconds(15))
        ) {
            self.pollInterval = pollInterval
            self.localCheckInterval = localCheckInterval
            self.silence = silence
            self.reconnect = reconnect
        }
    }

    /// Why a sync ran.
    public enum Reason: String, Sendable {
        case start, news, localEdit = "local-edit", poll
    }

    /// What the watch reports as it goes.
    public enum Event: Sendable {
        case synced(SyncSummary, reason: Reason)
        case syncFailed(SyncClientError)
        /// The watch connection is open.
        case connected
        /// The watch connection failed or could not be opened; it is retried after `retryIn`.
        case disconnected(SyncClientError, retryIn: Duration)
    }

    public let client: SyncClient
    public let transport: any WatchTransport
    public let options: Options
    /// Rings when a sync is due; the newest reason wins, any number of rings make one sync.
    private let wakes: AsyncStream<Reason>
    private let wake: AsyncStream<Reason>.Continuation
    private let lastSync = Mutex(ContinuousClock.now)
    /// Set by `stop()` or by an error no retry cures.
    private let ending = Mutex<(stopped: Bool, error: SyncClientError?)>((false, nil))

    public init(client: SyncClient, transport: any WatchTransport, options: Options = Options()) {
        self.client = client
        self.transport = transport
        self.options = options
        (wakes, wake) = AsyncStream.makeStream(of: Reason.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Ends `run()` after the sync under way, if any. Safe from any thread, e.g. a signal handler.
    public func stop() {
        ending.withLock { $0.stopped = true }
        wake.finish()
    }

    private func fail(_ error: SyncClientError) {
        ending.withLock { $0.error = $0.error ?? error }
        wake.finish()
    }

    /// Syncs, then watches until `stop()`; throws the first error no retry cures.
    public func run(report: @escaping @Sendable (Event) -> Void = { _ in }) async throws {
        wake.yield(.start)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await self.listen(report: report) }
            group.addTask { await self.watchStore() }
            group.addTask { await self.poll() }
            defer { group.cancelAll() }
            for await reason in wakes {
                let ending = self.ending.withLock { $0 }
                if let error = ending.error { throw error }
                if ending.stopped { break }
                lastSync.withLock { $0 = .now }
                do {
                    let summary = try await client.sync()
                    report(.synced(summary, reason: reason))
                } catch let error as SyncClientError where error.isRetryable {
                    report(.syncFailed(error))
                }
            }
            if let error = self.ending.withLock({ $0.error }) { throw error }
        }
    }

    /// Holds the watch connection and wakes the loop for news past the cursor.
    private func listen(report: @Sendable (Event) -> Void) async {
        var attempt = 1
        while !Task.isCancelled {
            let failure: SyncClientError
            do {
                guard let token = try client.store.setting("token") else { throw SyncClientError.notEnrolled }
                let request = TransportRequest(
                    method: "GET", path: "/v1/watch", headers: ["Authorization": "Bearer \(token)", "Accept": "text/event-stream"]
                )
                var connected = false
                for try await announcement in transport.announcements(request, silence: options.silence) {
                    if !connected {
                        connected = true
                        attempt = 1
                        report(.connected)
                    }
                    if case .news(let position) = announcement, try position > (client.store.cursor() ?? -1) {
                        wake.yield(.news)
                    }
                }
                failure = SyncClientError(code: "network_error", message: "the watch connection ended")
            } catch is CancellationError {
                return
            } catch let error as SyncClientError {
                // 404: a server without live sync; the watch still polls.
                guard error.isRetryable || error.status == 404 else {
                    fail(error)
                    return
                }
                failure = error
            } catch {
                failure = SyncClientError(code: "network_error", message: "the watch connection failed: \(error)")
            }
            if Task.isCancelled { return }
            attempt += 1
            let delay = max(options.reconnect.delay(beforeAttempt: attempt), failure.retryAfter ?? .zero)
            report(.disconnected(failure, retryIn: delay))
            try? await Task.sleep(for: delay)
        }
    }

    /// Wakes the loop when another process committed to the store.
    private func watchStore() async {
        var mark = try? client.store.externalChangeMark()
        while !Task.isCancelled {
            try? await Task.sleep(for: options.localCheckInterval)
            guard let now = try? client.store.externalChangeMark() else { continue }
            if now != mark {
                mark = now
                wake.yield(.localEdit)
            }
        }
    }

    /// Wakes the loop when no sync ran for `pollInterval`.
    private func poll() async {
        while !Task.isCancelled {
            let due = lastSync.withLock { $0 } + options.pollInterval
            if ContinuousClock.now >= due {
                lastSync.withLock { $0 = .now }
                wake.yield(.poll)
                continue
            }
            try? await Task.sleep(until: due, clock: .continuous)
        }
    }
}
