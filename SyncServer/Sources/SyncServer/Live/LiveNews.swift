import SyncCore
import Synchronization

/// The news of one server process: the highest log position it knows of, and the watch
/// connections (`GET /v1/watch`) waiting to hear that it moved.
///
/// A position is announced when a push of this process commits (`announce`) and received when
/// another process on the same PostgreSQL database says so (`receive`, from
/// `PostgresNewsRelay`). Every watcher is told the latest position; positions in between may be
/// skipped (only the latest matters: the device pulls everything after its cursor). News is
/// not filtered by scope: a device is woken for any news and its pull, filtered by scope as
/// always, may bring nothing.
public final class LiveNews: Sendable {
    private struct State {
        var latest: LogSequence = 0
        var watchers: [Int: Watcher] = [:]
        var nextID = 0
    }

    /// The most watchers held at once.
    public let capacity: Int
    private let state = Mutex(State())
    /// Positions announced by this process, newest only, for the relay to pass on.
    let outgoing: AsyncStream<LogSequence>
    private let outgoingContinuation: AsyncStream<LogSequence>.Continuation

    public init(capacity: Int) {
        self.capacity = capacity
        (outgoing, outgoingContinuation) = AsyncStream.makeStream(of: LogSequence.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Watchers connected now.
    public var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// The highest position this process has heard of (0 before any news).
    public var latest: LogSequence { state.withLock { $0.latest } }

    /// A push of this process committed log entries up to `position`.
    public func announce(_ position: LogSequence) {
        if deliver(position) { outgoingContinuation.yield(position) }
    }

    /// Another process committed log entries up to `position`.
    public func receive(_ position: LogSequence) {
        _ = deliver(position)
    }

    /// Tells every watcher; false when `position` is no news.
    private func deliver(_ position: LogSequence) -> Bool {
        let watchers: [Watcher]? = state.withLock { state in
            guard position > state.latest else { return nil }
            state.latest = position
            return Array(state.watchers.values)
        }
        guard let watchers else { return false }
        for watcher in watchers { watcher.tell(position) }
        return true
    }

    /// A new watcher that knows of `known` (the log's latest position when it connected), or
    /// `server_busy` when `capacity` watchers are connected. Call `end(_:)` when it goes.
    func watch(knowing known: LogSequence) throws(ServerError) -> Watcher {
        let watcher: Watcher? = state.withLock { state in
            guard state.watchers.count < capacity else { return nil }
            state.latest = max(state.latest, known)
            let watcher = Watcher(id: state.nextID, position: state.latest)
            state.nextID += 1
            state.watchers[watcher.id] = watcher
            return watcher
        }
        guard let watcher else {
            var error = ServerError(.serverBusy, "this server holds as many watch connections as it may (\(capacity)); sync without watching, or retry later")
            error.retryAfterSeconds = 5
            throw error
        }
        return watcher
    }

    /// Forgets a watcher and ends its events.
    func end(_ watcher: Watcher) {
        _ = state.withLock { $0.watchers.removeValue(forKey: watcher.id) }
        watcher.finish()
    }
}

/// One watch connection's side of `LiveNews`: the latest position it has not yet sent, and
/// whether a ping is due. Its `events` ring once for any number of changes; the connection
/// then takes what is pending (`take()`), so a slow connection skips to the newest position
/// instead of queueing every one.
final class Watcher: Sendable {
    struct Pending: Equatable {
        /// The position to announce, when newer than the last one sent.
        var position: LogSequence?
        var ping = false
    }

    let id: Int
    private let state: Mutex<(sent: LogSequence, newest: LogSequence, ping: Bool)>
    /// Rings when something is pending; ends when the watch ends.
    let events: AsyncStream<Void>
    private let doorbell: AsyncStream<Void>.Continuation

    init(id: Int, position: LogSequence) {
        self.id = id
        // The position at connection is pending: the device hears at once where the log is.
        state = Mutex((sent: -1, newest: position, ping: false))
        (events, doorbell) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        doorbell.yield()
    }

    func tell(_ position: LogSequence) {
        state.withLock { $0.newest = max($0.newest, position) }
        doorbell.yield()
    }

    func ping() {
        state.withLock { $0.ping = true }
        doorbell.yield()
    }

    func finish() { doorbell.finish() }

    /// What to send now; marks it sent.
    func take() -> Pending {
        state.withLock { state in
            var pending = Pending()
            if state.newest > state.sent {
                pending.position = state.newest
                state.sent = state.newest
            } else if state.ping {
                pending.ping = true
            }
            state.ping = false
            return pending
        }
    }
}
