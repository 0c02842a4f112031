import Logging
import NIOCore

/// Closes a connection whose outgoing data stays blocked for `limit`: the peer reads nothing
/// (a stalled or hostile watcher, a client that stopped reading its page), and NIO's buffer
/// for it stays above the high-water mark. A connection that drains resets the clock.
///
/// This bounds a watch connection, which sends a ping every `watchPingInterval` (the limit is
/// two of them) and receives nothing; a peer that vanished without closing is found by the
/// kernel, whose retransmissions of the unacknowledged pings time out.
final class SendStallHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let limit: TimeAmount
    private let logger: Logger
    private var scheduled: Scheduled<Void>?

    init(limit: TimeAmount, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            cancel()
        } else if scheduled == nil {
            let logger = logger
            scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: limit) {
                logger.info(
                    "closing a connection that has not read what the server sent",
                    metadata: ["peer": "\(context.channel.remoteAddress?.description ?? "?")"]
                )
                context.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    private func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}

@available(*, unavailable)
extension SendStallHandler: Sendable {}
