#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// Hummingbird's HTTP/1 server with the connection limits of `ServerConfiguration`: header and
/// body read deadlines (`ConnectionDeadlines`) and Hummingbird's own idle timeout.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    init(responder: @escaping HTTPChannelHandler.Responder, configuration: ServerConfiguration, logger: Logger) {
        let headerTimeout = configuration.headerReadTimeout
        let bodyTimeout = configuration.bodyReadTimeout
        base = HTTP1Channel(
            responder: responder,
            configuration: HTTP1Channel.Configuration(
                additionalChannelHandlers: [RequestDeadlineHandler(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, logger: logger)],
                idleTimeout: TimeAmount(configuration.idleTimeout)
            )
        )
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(RequestBytesHandler())
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with the read deadlines and idle timeout of `configuration`.
    static func guardedHTTP1(_ configuration: ServerConfiguration, logger: Logger) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, configuration: configuration, logger: logger)
        }
    }
}

/// The connections a server holds open, shared between its accept loop and whoever watches.
public final class ConnectionCount: Sendable {
    private let counts = Mutex<(open: Int, peak: Int)>((0, 0))

    public init() {}

    /// Connections open now.
    public var open: Int { counts.withLock { $0.open } }
    /// The most connections that were ever open at once.
    public var peak: Int { counts.withLock { $0.peak } }

    func opened() {
        counts.withLock { counts in
            counts.open += 1
            counts.peak = max(counts.peak, counts.open)
        }
    }

    func closed() {
        counts.withLock { $0.open -= 1 }
    }
}

/// Stops accepting once `limit` connections are open; accepting resumes when one closes, and
/// until then new connections wait in the kernel's accept queue.
struct ConnectionLimitDelegate: AvailableConnectionsDelegate {
    let limit: Int
    let count: ConnectionCount

    mutating func connectionOpened() { count.opened() }
    mutating func connectionClosed() { count.closed() }
    func isAcceptingNewConnections() -> Bool { count.open < limit }
}

/// The connection limit a server can keep: the configured one, lowered to leave `reserve`
/// file descriptors of the process's open-file limit for its store, logs and accepts.
enum ConnectionLimit {
    static let reservedFileDescriptors = 64

    static func effective(_ configured: Int, logger: Logger) -> Int {
        guard let files = openFileLimit() else { return configured }
        let room = max(1, files - reservedFileDescriptors)
        if room < configured {
            logger.notice(
                "the connection limit is lowered to stay below the open-file limit",
                metadata: ["configured": "\(configured)", "limit": "\(room)", "open-file limit": "\(files)"]
            )
            return room
        }
        return configured
    }

    /// The soft RLIMIT_NOFILE, nil when it is unlimited or unknown.
    static func openFileLimit() -> Int? {
        var limit = rlimit()
        #if canImport(Glibc)
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        #else
        guard getrlimit(RLIMIT_NOFILE, &limit) == 0 else { return nil }
        #endif
        // RLIM_INFINITY is the largest value: it fails this test too.
        guard limit.rlim_cur < rlim_t(Int.max) else { return nil }
        return Int(limit.rlim_cur)
    }
}

/// On the listening socket: logs every failed accept (out of file descriptors, out of memory,
/// an aborted connection). NIO's `AcceptBackoffHandler`, after it in the pipeline, then pauses
/// accepting for a second; the server keeps running and serving the connections it has.
final class AcceptErrorLogger: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel

    let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        logger.error("accepting a connection failed; accepting again after a pause", metadata: ["error": "\(error)"])
        context.fireErrorCaught(error)
    }
}

@available(*, unavailable)
extension AcceptErrorLogger: Sendable {}
