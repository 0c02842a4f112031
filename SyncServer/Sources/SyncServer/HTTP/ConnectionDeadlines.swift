import HummingbirdCore
import Logging
import NIOCore

/// The read deadlines of one HTTP/1 connection, as a state machine with no I/O: the handler
/// feeds it what it sees and does what it answers.
///
/// - From the first byte of a request, its head must be complete within the header timeout.
/// - From the end of the head, its body must be complete within the body timeout — also while
///   the server drains the body of a request it already refused.
/// - Between requests no deadline of its own runs: Hummingbird's idle timeout closes a
///   connection that sends nothing.
///
/// A deadline that passes closes the connection.
struct ConnectionDeadlines: Equatable {
    enum Phase: Equatable {
        /// No request in progress.
        case idle
        /// Bytes of a request arrived; its head is not complete.
        case readingHead
        /// The head arrived; the body is not complete.
        case readingBody
        /// The request arrived whole; the server is answering it.
        case answering
    }

    enum Action: Equatable {
        case none
        /// Close the connection at `deadline` unless another action comes first.
        case arm(deadline: NIODeadline)
        case disarm
    }

    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    private(set) var phase: Phase = .idle
    /// The response to the current request was sent before its body was received (a refusal).
    private var answered = false

    init(headerTimeout: TimeAmount, bodyTimeout: TimeAmount) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
    }

    mutating func bytesReceived(now: NIODeadline) -> Action {
        guard phase == .idle else { return .none }
        phase = .readingHead
        return .arm(deadline: now + headerTimeout)
    }

    mutating func headReceived(now: NIODeadline) -> Action {
        phase = .readingBody
        answered = false
        return .arm(deadline: now + bodyTimeout)
    }

    mutating func endReceived() -> Action {
        if answered {
            phase = .idle
            answered = false
        } else {
            phase = .answering
        }
        return .disarm
    }

    mutating func responseSent() -> Action {
        switch phase {
        case .answering:
            phase = .idle
        case .readingBody:
            // Refused before its body arrived: the body deadline still bounds the drain.
            answered = true
        case .idle, .readingHead:
            break
        }
        return .none
    }
}

/// Fired by `RequestBytesHandler` for every read from the socket, before HTTP decoding.
struct RequestBytesArrived: Sendable {}

/// Sits before the HTTP decoder and tells `RequestDeadlineHandler` that bytes arrived, which
/// starts the header deadline of a new request.
final class RequestBytesHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(RequestBytesArrived())
        context.fireChannelRead(data)
    }
}

/// Sits after the HTTP decoder and closes the connection when `ConnectionDeadlines` says so.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP1Channel.Value.InboundPart
    typealias InboundOut = HTTP1Channel.Value.InboundPart
    typealias OutboundIn = HTTP1Channel.Value.OutboundPart
    typealias OutboundOut = HTTP1Channel.Value.OutboundPart

    private var deadlines: ConnectionDeadlines
    private var scheduled: Scheduled<Void>?
    private let logger: Logger

    init(headerTimeout: Duration, bodyTimeout: Duration, logger: Logger) {
        deadlines = ConnectionDeadlines(headerTimeout: TimeAmount(headerTimeout), bodyTimeout: TimeAmount(bodyTimeout))
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            perform(deadlines.headReceived(now: .now()), context: context)
        case .end:
            perform(deadlines.endReceived(), context: context)
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is RequestBytesArrived {
            perform(deadlines.bytesReceived(now: .now()), context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            perform(deadlines.responseSent(), context: context)
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
    }

    private func perform(_ action: ConnectionDeadlines.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .disarm:
            cancel()
        case .arm(let deadline):
            cancel()
            let phase = deadlines.phase
            let logger = logger
            scheduled = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                logger.info(
                    "closing a connection that was too slow to send its request",
                    metadata: ["phase": "\(phase == .readingHead ? "head" : "body")", "peer": "\(context.channel.remoteAddress?.description ?? "?")"]
                )
                context.close(promise: nil)
            }
        }
    }

    private func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}

@available(*, unavailable)
extension RequestDeadlineHandler: Sendable {}

/// Names the part types of Hummingbird's HTTP/1 channel (`HTTPRequestPart`, `HTTPResponsePart`)
/// without importing the module that declares them.
protocol AsyncChannelParts {
    associatedtype InboundPart
    associatedtype OutboundPart
}

extension NIOAsyncChannel: AsyncChannelParts {
    typealias InboundPart = Inbound
    typealias OutboundPart = Outbound
}

@available(*, unavailable)
extension RequestBytesHandler: Sendable {}
