import Foundation
import SyncCore

/// How a device holds its watch connection (`GET /v1/watch`). URLSession implements it for
/// real devices; tests may pass their own.
public protocol WatchTransport: Sendable {
    /// Opens the watch connection of `request` and returns its announcements as they arrive.
    ///
    /// The stream throws `SyncClientError`: the server's error when it refuses the watch
    /// (`unauthorized`, `rate_limited`, `server_busy`…), `network_error` when the connection
    /// fails, ends, or stays silent for `silence` (the server pings well within it).
    func announcements(_ request: TransportRequest, silence: Duration) -> AsyncThrowingStream<LiveAnnouncement, any Error>
}
