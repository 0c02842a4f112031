import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import SyncCore

/// `GET /v1/watch`: a device's live connection, as server-sent events (`LiveAnnouncement`).
///
/// The server announces the log's position at once, then whenever it moves, and pings every
/// `watchPingInterval` when nothing happens. The device pulls with `POST /v1/sync` as usual.
/// Authenticated and rate-limited like every device request; at most `maxWatchers` at once
/// (then 503 `server_busy`). The connection stays open with no request bytes in flight, which
/// neither the read deadlines nor the idle timeout count against it (a request is in progress);
/// `SendStallHandler` closes it when the device stops reading. On shutdown the stream ends at
/// once, so it never holds up the grace period; the device reconnects elsewhere or later.
struct WatchController<Storage: ServerStorage>: Sendable {
    let storage: Storage
    let accounts: AccountService<Storage>
    let news: LiveNews
    let rateLimiter: RateLimiter
    let pingInterval: Duration

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("watch", use: self.watch)
    }

    @Sendable func watch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let device = try await accounts.authenticate(authorization: request.headers[.authorization])
        try await rateLimiter.admitRequest(from: device.replica.rawValue)
        let watcher = try news.watch(knowing: try await storage.latestSequence())
        let news = self.news
        let pingInterval = self.pingInterval
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { news.end(watcher) }
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask {
                    while (try? await Task.sleep(for: pingInterval)) != nil {
                        watcher.ping()
                    }
                }
                try await writer.write(ByteBuffer(string: LiveAnnouncement.preamble))
                try await withGracefulShutdownHandler {
                    for await _ in watcher.events {
                        let pending = watcher.take()
                        if let position = pending.position {
                            try await writer.write(ByteBuffer(string: LiveAnnouncement.news(position: position).text))
                        } else if pending.ping {
                            try await writer.write(ByteBuffer(string: LiveAnnouncement.ping.text))
                        }
                    }
                } onGracefulShutdown: {
                    watcher.finish()
                }
                group.cancelAll()
            }
            try await writer.finish(nil)
        })
    }
}
