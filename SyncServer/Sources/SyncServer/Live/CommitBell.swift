import Foundation
import Synchronization

/// Rung by a store after every committed write that may have appended to the change log, and by
/// the relay when another server on the same PostgreSQL database did (`NewsRelay`). Each
/// listener's stream keeps at most one ring: rings that come while a listener is busy fold into
/// one, so a listener does one pass however many commits it missed, and never falls behind.
public final class CommitBell: Sendable {
    private let listeners = Mutex<[UUID: AsyncStream<Void>.Continuation]>([:])

    public init() {}

    /// Wakes every listener.
    public func ring() {
        for continuation in listeners.withLock({ Array($0.values) }) {
            continuation.yield()
        }
    }

    /// A stream of rings from now on; it ends when the listener stops iterating.
    public func listen() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        listeners.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }
}
