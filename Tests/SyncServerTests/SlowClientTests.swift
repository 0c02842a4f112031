import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import SyncCore
import Testing

@testable import SyncServer

/// Unauthenticated and slow clients against a real server on a free loopback port: every
/// connection that does not finish its request in time is closed, the connection cap holds,
/// request bodies share one memory budget, and shutdown is bounded. The timeouts are set small
/// here; what is checked is that the connection is closed (or served), never how fast.
@Suite("Slow and hostile clients", .serialized)
struct SlowClientTests {
    /// Long enough that only a broken server gets there: in a full run the test process's
    /// cooperative pool, which the in-process server and these polls share with hundreds of
    /// other tests, can hold a job back for many seconds.
    static let patience: Duration = .seconds(120)

    /// The HTTP client's read timeout: the same patience (HummingbirdTesting's default is 15 s).
    static let client = TestClient.Configuration(timeout: patience)

    /// Starts a server over the fixture's store with `guards` and stops it after `body`.
    static func withServer<T>(
        _ fixture: ServerFixture, guards: RequestGuards? = nil, _ body: (RunningServer, RequestGuards) async throws -> T
    ) async throws -> T {
        let guards = guards ?? RequestGuards(fixture.configuration, storage: fixture.storage)
        let server = try await InProcessServer.start(fixture.configuration, storage: fixture.storage, logger: fixture.logger, guards: guards, onStop: {})
        do {
            let result = try await body(server, guards)
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// Waits until `condition` holds; false if it still does not after `patience`.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        try await FieldSyncTestSupport.eventually(within: patience) { condition() }
    }

    static func health(port: Int) async throws -> HTTPResponse.Status {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: Self.client) { client in
            try await client.get("/v1/health").status
        }
    }

    @Test("deadlines: the head's from its first byte, the body's from the head, none while answering or idle; a refused body keeps its own")
    func deadlineStateMachine() {
        var machine = ConnectionDeadlines(headerTimeout: .seconds(10), bodyTimeout: .seconds(60))
        let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
        #expect(machine.bytesReceived(now: start) == .arm(deadline: start + .seconds(10)))
        #expect(machine.bytesReceived(now: start + .seconds(1)) == .none, "more bytes of the same head do not move its deadline")
        #expect(machine.headReceived(now: start + .seconds(2)) == .arm(deadline: start + .seconds(62)))
        #expect(machine.endReceived() == .disarm)
        #expect(machine.phase == .answering)
        #expect(machine.bytesReceived(now: start + .seconds(3)) == .none, "pipelined bytes wait for the answer")
        #expect(machine.responseSent() == .none)
        #expect(machine.phase == .idle)
        // Refused before its body arrived: the body deadline still bounds the drain.
        _ = machine.bytesReceived(now: start)
        _ = machine.headReceived(now: start)
        #expect(machine.responseSent() == .none)
        #expect(machine.phase == .readingBody)
        #expect(machine.endReceived() == .disarm)
        #expect(machine.phase == .idle)
    }

    @Test("a connection that sends half a body is closed after the body read timeout, also when it trickles")
    func halfBody() async throws {
        try await withFixture(configure: { $0.bodyReadTimeout = .milliseconds(500); $0.idleTimeout = .seconds(60) }) { fixture in
            try await Self.withServer(fixture) { server, _ in
                let stalled = try RawConnection(port: server.port)
                try stalled.send("POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"code\":")
                #expect(try await stalled.waitForClose(timeout: Self.patience), "a stalled body kept its connection")

                // One byte every 100 ms is activity for an idle timer, not a finished body.
                let trickle = try RawConnection(port: server.port)
                try trickle.send("POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                var closed = false
                for _ in 0..<300 where !closed {
                    do {
                        try trickle.send(" ")
                    } catch {
                        closed = true
                    }
                    if !closed { closed = try await trickle.waitForClose(timeout: .milliseconds(100)) }
                }
                #expect(closed, "a trickling body kept its connection for 30 s")
                #expect(try await Self.health(port: server.port) == .ok)
            }
        }
    }

    @Test("a connection that sends half a head is closed after the header read timeout")
    func halfHead() async throws {
        try await withFixture(configure: { $0.headerReadTimeout = .milliseconds(500); $0.idleTimeout = .seconds(60) }) { fixture in
            try await Self.withServer(fixture) { server, _ in
                let connection = try RawConnection(port: server.port)
                try connection.send("POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl")
                #expect(try await connection.waitForClose(timeout: Self.patience), "a half-sent head kept its connection")
                #expect(try await Self.health(port: server.port) == .ok)
            }
        }
    }

    @Test("a connection that sends nothing, or nothing after its answer, is closed after the idle timeout")
    func idle() async throws {
        try await withFixture(configure: { $0.idleTimeout = .milliseconds(500) }) { fixture in
            try await Self.withServer(fixture) { server, _ in
                let silent = try RawConnection(port: server.port)
                #expect(try await silent.waitForClose(timeout: Self.patience), "a silent connection stayed open")

                let answered = try RawConnection(port: server.port)
                try answered.send("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                #expect(try await answered.readResponse(timeout: Self.patience)?.status == 200)
                #expect(try await answered.waitForClose(timeout: Self.patience), "a kept-alive connection stayed open with nothing to do")
            }
        }
    }

    @Test("the connection cap is enforced: the connection past it is served only once another closes")
    func connectionCap() async throws {
        try await withFixture(configure: { $0.maxConnections = 2; $0.idleTimeout = .seconds(60) }) { fixture in
            try await Self.withServer(fixture) { server, guards in
                let first = try RawConnection(port: server.port)
                let second = try RawConnection(port: server.port)
                #expect(try await Self.eventually { guards.connections.open == 2 })
                let third = try RawConnection(port: server.port)
                try third.send("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                #expect(try await third.readResponse(timeout: .seconds(1)) == nil, "a third connection was served past a cap of 2")
                #expect(guards.connections.peak == 2)
                first.close()
                #expect(try await third.readResponse(timeout: Self.patience)?.status == 200, "the waiting connection was not served once a slot freed")
                #expect(guards.connections.peak == 2)
                second.close()
                third.close()
            }
        }
    }

    @Test("an unauthenticated endpoint refuses a body past its small limit before reading it; sync checks the token first")
    func authenticationBeforeLargeBodies() async throws {
        try await withFixture(configure: { $0.maxUnauthenticatedRequestBytes = 1024 }) { fixture in
            let alice = try await fixture.enroll("alice")
            try await Self.withServer(fixture) { server, guards in
                // Only the head is sent: the answer cannot wait for the body.
                let enroll = try RawConnection(port: server.port)
                try enroll.send("POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
                let refused = try #require(try await enroll.readResponse(timeout: Self.patience), "enrollment waited for a 100 kB body")
                #expect(refused.status == 413)
                #expect(refused.body.contains("payload_too_large"))

                let stranger = try RawConnection(port: server.port)
                try stranger.send(
                    "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer nope\r\nContent-Length: 1000000\r\n\r\n"
                )
                let unauthorized = try #require(try await stranger.readResponse(timeout: Self.patience), "sync waited for the body of an unknown token")
                #expect(unauthorized.status == 401)
                #expect(guards.bodyBudget.bytesHeld == 0)

                try await TestClient.withClient(host: "127.0.0.1", port: server.port, configuration: Self.client) { client in
                    // A whole enrollment body past the small limit is refused as well.
                    let enrollment = EnrollRequest(code: String(repeating: "x", count: 2000), replica: ReplicaID(), deviceName: "big")
                    let small = try await client.post(
                        "/v1/enroll", headers: [.contentType: "application/json"], body: ByteBuffer(bytes: try JSONEncoder().encode(enrollment))
                    )
                    #expect(small.status == .contentTooLarge)
                    #expect(String(buffer: small.body ?? ByteBuffer()).contains("payload_too_large"))
                    // A body of the same size is read once its token checks out.
                    let padded = ByteBuffer(bytes: try JSONEncoder().encode(alice.request()) + Data(repeating: UInt8(ascii: " "), count: 2000))
                    let synced = try await client.post(
                        "/v1/sync", headers: [.contentType: "application/json", .authorization: "Bearer \(alice.token)"], body: padded
                    )
                    #expect(synced.status == .ok, "\(String(buffer: synced.body ?? ByteBuffer()))")
                }
            }
        }
    }

    @Test("request bodies being received share one memory budget: past it 503 server_busy, and it is all given back")
    func memoryBudget() async throws {
        try await withFixture(configure: { $0.maxRequestBytes = 32 * 1024; $0.maxBufferedRequestBytes = 48 * 1024 }) { fixture in
            let alice = try await fixture.enroll("alice")
            let bob = try await fixture.enroll("bob")
            try await Self.withServer(fixture) { server, guards in
                let holding = try RawConnection(port: server.port)
                try holding.send(
                    "POST /v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAuthorization: Bearer \(bob.token)\r\nContent-Length: 30000\r\n\r\n{\"protocol\":1,"
                )
                #expect(try await Self.eventually { guards.bodyBudget.bytesHeld == 30000 })
                try await TestClient.withClient(host: "127.0.0.1", port: server.port, configuration: Self.client) { client in
                    var alice = alice
                    let padded = ByteBuffer(string: String(repeating: " ", count: 25000) + "{}")
                    let busy = try await client.post(
                        "/v1/sync", headers: [.contentType: "application/json", .authorization: "Bearer \(alice.token)"], body: padded
                    )
                    #expect(busy.status == .serviceUnavailable)
                    #expect(String(buffer: busy.body ?? ByteBuffer()).contains("server_busy"))
                    #expect(busy.headers[.retryAfter] == "1")
                    holding.close()
                    #expect(try await Self.eventually { guards.bodyBudget.bytesHeld == 0 }, "a closed connection kept its share of the budget")
                    _ = try await LiveServerTests.sync(client, &alice, pushing: [], gzip: false)
                }
                #expect(guards.bodyBudget.bytesHeld == 0)
            }
        }
    }

    @Test("stopping the server drains for the grace period, then closes a connection that holds one byte of a body")
    func boundedShutdown() async throws {
        try await withFixture(configure: { $0.shutdownGracePeriod = .milliseconds(500); $0.bodyReadTimeout = .seconds(600) }) { fixture in
            let guards = RequestGuards(fixture.configuration, storage: fixture.storage)
            let server = try await InProcessServer.start(fixture.configuration, storage: fixture.storage, logger: fixture.logger, guards: guards, onStop: {})
            let holding = try RawConnection(port: server.port)
            try holding.send("POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            #expect(try await Self.eventually { guards.bodyBudget.bytesHeld == 100 })
            let stopped = ReadFlag()
            let stopping = Task {
                try await server.stop()
                stopped.value.withLock { $0 = true }
            }
            let finished = try await Self.eventually { stopped.value.withLock { $0 } }
            #expect(finished, "stop() still waited for a client holding one byte of a body after \(Self.patience)")
            if finished {
                try await stopping.value
                #expect(try await holding.waitForClose(timeout: Self.patience))
            }
        }
    }

    /// The load in small: many slow unauthenticated bodies and idle connections at once,
    /// and another device still syncs. Set FIELDSYNC_LONG_TESTS=1 to run it (about a minute).
    @Test(
        "700 slow enrollment bodies and 2000 idle connections: memory stays within the budget and a device still syncs",
        .enabled(if: ProcessInfo.processInfo.environment["FIELDSYNC_LONG_TESTS"] == "1")
    )
    func manySlowClients() async throws {
        try await withFixture(configure: { $0.bodyReadTimeout = .seconds(20); $0.idleTimeout = .seconds(20) }) { fixture in
            let alice = try await fixture.enroll("alice")
            try await Self.withServer(fixture) { server, guards in
                var connections: [RawConnection] = []
                for index in 0..<2700 {
                    let connection = try RawConnection(port: server.port)
                    if index < 700 {
                        try connection.send(
                            "POST /v1/enroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{\"code\":\""
                        )
                    }
                    connections.append(connection)
                }
                #expect(try await Self.eventually { guards.connections.open >= 2700 })
                #expect(guards.bodyBudget.bytesHeld <= fixture.configuration.maxBufferedRequestBytes)
                try await TestClient.withClient(host: "127.0.0.1", port: server.port, configuration: Self.client) { client in
                    var alice = alice
                    _ = try await LiveServerTests.sync(client, &alice, pushing: [], gzip: false)
                }
                for connection in connections { connection.close() }
                #expect(try await Self.eventually { guards.bodyBudget.bytesHeld == 0 })
            }
        }
    }
}

/// The listening socket's handlers on an embedded channel: the accept-failure path cannot be
/// reached on a real server without exhausting the test process's own file descriptors.
@Suite("Accept failures")
struct AcceptFailureTests {
    /// Counts the reads that reach the socket.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = Never
        var reads = 0

        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test("a failed accept (out of file descriptors) is logged, and accepting pauses for a second instead of stopping")
    func acceptFailure() throws {
        let messages = RecordedLog()
        let logger = Logger(label: "accept-test") { _ in messages }
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        // The order of the server's listening socket: ours first, NIO's backoff after it.
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(AcceptErrorLogger(logger: logger))
        try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler(shouldForwardIOErrorCaught: false))

        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        channel.pipeline.fireErrorCaught(IOError(errnoCode: EMFILE, reason: "accept"))
        #expect(messages.lines.contains { $0.hasPrefix("error: accepting a connection failed") })
        channel.read()
        #expect(counter.reads == 0, "accepting went on at once")
        // The backoff's deadline is on the real clock, which the embedded loop's starts far behind.
        channel.embeddedEventLoop.advanceTime(to: .now() + .seconds(2))
        #expect(counter.reads == 1, "accepting did not resume after the pause")
        #expect(channel.isActive, "the listening socket was closed")
        _ = try? channel.finish()
    }
}
