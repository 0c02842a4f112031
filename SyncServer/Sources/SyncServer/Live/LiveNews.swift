import Foundation
import Logging
import ServiceLifecycle
import SyncCore
import Synchronization

/// Tells the devices that watch (`GET /v1/watch`) when the log has news in their scope, so an
/// online device gets other devices' changes without polling.
///
/// Every committed write that may have appended to the log rings the store's bell
/// (`ServerStorage.commits`), here or, relayed by PostgreSQL's `LISTEN/NOTIFY`, in another
/// server on the same database. A ring starts one pass over the watchers: it reads the
/// position a read may publish (on PostgreSQL, below every sequence still uncommitted), and for
/// each watcher not yet checked up to it asks the store whether the log holds, between the two,
/// an entry of the watcher's scope that another replica wrote; if so the watcher is told the
/// position, and the device pulls. Rings during a pass fold into one more pass, so a burst of
/// pushes costs a pass, not a pass per push. Every commit rings, also one that lands below the
/// newest sequence (on PostgreSQL a push given a lower sequence may commit after one given a
/// higher): the published position only then moves past it.
///
/// A device learns of a missed ring (a relay reconnecting, a failed check) at its next poll:
/// the client syncs every poll interval even while it watches.
public final class LiveNews<Storage: ServerStorage>: Service, Sendable {
    /// What a watch stream carries.
    public enum Event: Sendable, Equatable {
        /// The log has news for the device up to this position.
        case news(LogSequence)
        /// Nothing new; the stream is alive.
        case ping
    }

    /// One watching device.
    struct Watcher: Sendable {
        var replica: ReplicaID
        var scope: AccessScope
        /// The position up to which the log was checked for this device's news.
        var checkedThrough: LogSequence
        var continuation: AsyncStream<Event>.Continuation
    }

    /// A device's subscription: its id (to unsubscribe) and its events.
    public struct Subscription: Sendable {
        public let id: UUID
        public let events: AsyncStream<Event>
    }

    let storage: Storage
    let configuration: ServerConfiguration
    let logger: Logger
    private let watchers = Mutex<[UUID: Watcher]>([:])

    public init(storage: Storage, configuration: ServerConfiguration, logger: Logger) {
        self.storage = storage
        self.configuration = configuration
        self.logger = logger
    }

    /// How many devices watch now.
    public var watcherCount: Int { watchers.withLock { $0.count } }

    /// Registers a device that has applied the log up to `after`; refused with 503
    /// `server_busy` past `maxWatchers`. The first pass runs at once, for the news committed
    /// between the device's last pull and now.
    public func subscribe(replica: ReplicaID, scope: AccessScope, after: LogSequence) throws(ServerError) -> Subscription {
        let (events, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(4))
        let id = UUID()
        let limit = configuration.maxWatchers
        let admitted = watchers.withLock { watchers in
            guard watchers.count < limit else { return false }
            watchers[id] = Watcher(replica: replica, scope: scope, checkedThrough: after, continuation: continuation)
            return true
        }
        guard admitted else {
            var error = ServerError(.serverBusy, .tooManyWatchers, ["limit": limit])
            error.retryAfterSeconds = 30
            throw error
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        storage.commits.ring()
        return Subscription(id: id, events: events)
    }

    /// Checks a watcher's scope against `scope`, its user's now: true (and the watcher takes
    /// it) when it changed.
    public func rescope(_ id: UUID, to scope: AccessScope) -> Bool {
        watchers.withLock { watchers in
            guard let old = watchers[id]?.scope, old != scope else { return false }
            watchers[id]?.scope = scope
            return true
        }
    }

    /// Ends a device's stream (it disconnected, its token was revoked, the server stops).
    public func unsubscribe(_ id: UUID) {
        watchers.withLock { $0.removeValue(forKey: id) }?.continuation.finish()
    }

    /// Passes rings on to the watchers and pings them until graceful shutdown, which ends
    /// every stream (so that the HTTP server's shutdown does not wait on them).
    public func run() async throws {
        let rings = storage.commits.listen()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.storage.relayNews(to: self.storage.commits) }
            group.addTask {
                for await _ in rings { await self.deliver() }
            }
            group.addTask {
                while (try? await Task.sleep(for: self.configuration.watchPingInterval)) != nil {
                    for watcher in self.watchers.withLock({ Array($0.values) }) { watcher.continuation.yield(.ping) }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        for id in watchers.withLock({ Array($0.keys) }) { unsubscribe(id) }
    }

    /// One pass: tells each watcher not yet checked up to the published position whether its
    /// scope has news.
    func deliver() async {
        let pending = watchers.withLock { $0 }
        guard !pending.isEmpty else { return }
        let position: LogSequence
        do {
            position = try await storage.newsPosition()
        } catch {
            logger.warning("reading the log position for watchers failed", metadata: ["error": "\(error)"])
            return
        }
        for (id, watcher) in pending where watcher.checkedThrough < position {
            do {
                let news = try await storage.hasNews(after: watcher.checkedThrough, through: position, scope: watcher.scope, excluding: watcher.replica)
                watchers.withLock { $0[id]?.checkedThrough = position }
                if news { watcher.continuation.yield(.news(position)) }
            } catch {
                logger.warning("checking a watcher's news failed", metadata: ["device": "\(watcher.replica.short)", "error": "\(error)"])
            }
        }
    }
}
