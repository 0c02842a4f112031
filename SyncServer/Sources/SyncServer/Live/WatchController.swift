import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle
import SyncCore

/// `GET /v1/watch?after=N`: a device that is online keeps this request open and pulls when it
/// says the device's scope has news (`LiveNews`). The answer is a stream of server-sent events
/// (`text/event-stream`):
///
/// - `event: ready` with the position the device gave, once, when the watch starts;
/// - `event: news` with the log position the news reaches, whenever another replica's change
///   in the device's scope commits after the device's position;
/// - a `: ping` comment every `watchPingInterval`, after the device's token and scope are
///   checked again: a revoked or wiped device's stream ends there, and a device whose scope
///   changed gets `event: news` instead (its next sync answers resync).
///
/// The stream ends when the server shuts down, and past `maxWatchers` the request is refused
/// with 503 `server_busy` (the device then syncs by polling).
struct WatchController<Storage: ServerStorage>: Sendable {
    let accounts: AccountService<Storage>
    let news: LiveNews<Storage>
    let rateLimiter: RateLimiter

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("watch", use: self.watch)
    }

    @Sendable func watch(_ request: Request, context: AppRequestContext) async throws -> Response {
        let authorization = request.headers[.authorization]
        let device = try await accounts.authenticate(authorization: authorization)
        try await rateLimiter.admitRequest(from: device.replica.rawValue)
        let after = try Self.position(request.uri.queryParameters.get("after"))
        let scope = try await accounts.accessScope(of: device.user)
        let subscription = try news.subscribe(replica: device.replica, scope: scope, after: after)
        let accounts = self.accounts
        let news = self.news
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            defer { news.unsubscribe(subscription.id) }
            try await writer.write(ByteBuffer(string: "event: ready\ndata: \(after)\n\n"))
            try await withGracefulShutdownHandler {
                for await event in subscription.events {
                    switch event {
                    case .news(let position):
                        try await writer.write(ByteBuffer(string: "event: news\ndata: \(position)\n\n"))
                    case .ping:
                        // A revoked or wiped device hears no more news; one whose scope changed
                        // (its user's territories or team, a reassignment) is told to sync, and
                        // its answer is a resync; a store that cannot answer now keeps the
                        // stream as it is (the next ping asks again).
                        do {
                            let current = try await accounts.authenticate(authorization: authorization)
                            let currentScope = try await accounts.accessScope(of: current.user)
                            if news.rescope(subscription.id, to: currentScope) {
                                try await writer.write(ByteBuffer(string: "event: news\ndata: scope\n\n"))
                                continue
                            }
                        } catch let error as ServerError where error.code.httpStatus == 401 || error.code.httpStatus == 410 {
                            return
                        } catch {}
                        try await writer.write(ByteBuffer(string: ": ping\n\n"))
                    }
                }
            } onGracefulShutdown: {
                news.unsubscribe(subscription.id)
            }
            try await writer.finish(nil)
        })
    }

    /// The device's log position, `after`: an integer of 0 or more.
    static func position(_ text: String?) throws(ServerError) -> LogSequence {
        guard let text, let position = LogSequence(text), position >= 0 else {
            throw ServerError(.invalidRequest, .watchPositionInvalid, ["text": text ?? ""])
        }
        return position
    }
}
