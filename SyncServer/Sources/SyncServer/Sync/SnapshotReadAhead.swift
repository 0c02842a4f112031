import Synchronization
import SyncCore

/// The next snapshot page of a bootstrap, read while the device is still receiving and
/// storing this one.
///
/// A device can ask for page N+1 only with the cursor page N carries, so without this the
/// server's reading of each page, the transfer and the device's reading of it ran one after
/// the other (Benchmarks/README.md, "The bootstrap is bound by a chain, not by the CPU"). When
/// `SyncService` answers a bootstrap page that has a next one, it starts reading that next page
/// here; when the device asks for it, with the same position, limit and scope, it gets the
/// page read ahead (waiting for the read to finish if it has not).
///
/// Why a page read ahead is as good as one read on request: a snapshot page is defined by its
/// high-water mark and the keys it walks, not by when it is read. Its records are in states at
/// least as new as at the high-water mark either way (states only grow), and the device follows
/// the log from that mark afterwards, so a change stored between the read ahead and the request
/// reaches the device through the log, as one stored during a page's transfer always did.
///
/// Bounds: one page per device (a new one replaces the device's old one) and `capacity`
/// devices at most; a page nobody asked for within `lifetime` is dropped. So at most `capacity`
/// pages of at most `maxPageBytes` (plus one record) each are held. A page whose key does not
/// match the request (the scope changed, the device resyncs, another limit) is dropped, and
/// the request reads its page itself; so does one whose read failed.
final class SnapshotReadAhead: Sendable {
    /// What a page read ahead must match to be handed out.
    struct Key: Hashable, Sendable {
        var replica: ReplicaID
        var position: SnapshotPosition
        var limit: Int
        var maxBytes: Int
        var scope: AccessScope
    }

    private struct Entry {
        var key: Key
        var page: Task<EncodedSnapshotPage, any Error>
        var started: ContinuousClock.Instant
    }

    let capacity: Int
    let lifetime: Duration
    private let entries = Mutex<[ReplicaID: Entry]>([:])

    /// - Parameter capacity: devices with a page read ahead at once; 0 turns reading ahead off.
    init(capacity: Int, lifetime: Duration = .seconds(60)) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    /// The page read ahead for `key`, handed out once; nil when none was read for it or its
    /// read failed.
    func take(_ key: Key) async -> EncodedSnapshotPage? {
        let now = ContinuousClock.now
        let entry = entries.withLock { entries in
            prune(&entries, at: now)
            return entries.removeValue(forKey: key.replica)
        }
        guard let entry else { return nil }
        guard entry.key == key else {
            entry.page.cancel()
            return nil
        }
        return try? await entry.page.value
    }

    /// Starts reading the page of `key` with `read`, unless `capacity` other devices have a
    /// page waiting.
    func start(_ key: Key, read: @escaping @Sendable (Key) async throws -> EncodedSnapshotPage) {
        guard capacity > 0 else { return }
        let now = ContinuousClock.now
        entries.withLock { entries in
            prune(&entries, at: now)
            guard entries.count < capacity || entries[key.replica] != nil else { return }
            entries[key.replica]?.page.cancel()
            entries[key.replica] = Entry(key: key, page: Task { try await read(key) }, started: now)
        }
    }

    /// Drops the pages nobody asked for within `lifetime`.
    private func prune(_ entries: inout [ReplicaID: Entry], at now: ContinuousClock.Instant) {
        for (replica, entry) in entries where now - entry.started >= lifetime {
            entry.page.cancel()
            entries[replica] = nil
        }
    }

    /// Devices with a page read ahead (for tests).
    var waiting: Int {
        entries.withLock { $0.count }
    }

    /// Returns once every read started so far has ended (for tests).
    func settle() async {
        let pages = entries.withLock { $0.values.map(\.page) }
        for page in pages { _ = try? await page.value }
    }
}
