import FieldSyncTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import Synchronization
import SyncClient
import SyncCore
import Testing

@testable import SyncServer

/// `GET /v1/watch`: authentication, announcements after a push, the watcher limit, and news
/// crossing servers on one PostgreSQL database.
@Suite("Live sync: the watch endpoint")
struct LiveWatchTests {
    @Test("a watch without a valid device token is refused with 401 unauthorized")
    func unauthenticated() async throws {
        try await withFixture { (fixture) async throws in
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let anonymous = try await client.execute(uri: "/v1/watch", method: .get)
                #expect(anonymous.status == .unauthorized)
                #expect(try errorCode(anonymous) == "unauthorized")
                let forged = try await client.execute(uri: "/v1/watch", method: .get, headers: [.authorization: "Bearer forged"])
                #expect(forged.status == .unauthorized)
                #expect(try errorCode(forged) == "unauthorized")
            }
        }
    }

    @Test("a watcher hears the log's position at once, then each push's, and pings in between", arguments: StorageBackend.all)
    func announcesPushes(backend: StorageBackend) async throws {
        try await withFixture(backend: backend, configure: { $0.watchPingInterval = .milliseconds(100) }) { (fixture) async throws in
            let server = try await InProcessServer.start(fixture.configuration, storage: fixture.storage, logger: fixture.logger)
            do {
                let alice = try await fixture.enroll("alice")
                let bob = try await fixture.enroll("bob")
                var announcements = try Self.watch(server, token: alice.token).makeAsyncIterator()
                #expect(try await announcements.next() == .news(position: 0))
                #expect(try await announcements.next() == .ping, "nothing happened: a ping")

                try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
                    var bob = bob
                    let change = try bob.write("account", newRecordID(), accountFields(name: "Live Ltd"))
                    _ = try await LiveServerTests.sync(client, &bob, pushing: [change], gzip: true)
                }
                let position = try await fixture.storage.latestSequence()
                #expect(position > 0)
                #expect(try await Self.next(news: &announcements) == position)
            } catch {
                try await server.stop()
                throw error
            }
            try await server.stop()
        }
    }

    @Test("no more watchers than maxWatchers: one more gets 503 server_busy, and a closed watch frees its place")
    func watcherLimit() async throws {
        try await withFixture(configure: { $0.maxWatchers = 1; $0.watchPingInterval = .milliseconds(100) }) { (fixture) async throws in
            let server = try await InProcessServer.start(fixture.configuration, storage: fixture.storage, logger: fixture.logger)
            do {
                let alice = try await fixture.enroll("alice")
                let first = Task {
                    for try await _ in try Self.watch(server, token: alice.token) {}
                }
                // Wait until the first watch holds the only place.
                var refused = false
                for _ in 0..<500 where !refused {
                    refused = try await Self.firstAnnouncement(server, token: alice.token) == .failure("server_busy")
                    if !refused { try await Task.sleep(for: .milliseconds(20)) }
                }
                try #require(refused)
                first.cancel()
                // The server finds the closed connection at its next ping, and frees the place.
                var outcome = try await Self.firstAnnouncement(server, token: alice.token)
                for _ in 0..<500 where outcome != .announced {
                    try await Task.sleep(for: .milliseconds(20))
                    outcome = try await Self.firstAnnouncement(server, token: alice.token)
                }
                #expect(outcome == .announced)
            } catch {
                try await server.stop()
                throw error
            }
            try await server.stop()
        }
    }

    @Test("on PostgreSQL, a push on one server wakes a watcher on another (LISTEN/NOTIFY)", arguments: StorageBackend.all.filter { $0 == .postgres })
    func acrossServers(backend: StorageBackend) async throws {
        try await withFixture(backend: backend) { (fixture) async throws in
            let second = try await fixture.storage.reopen(sqlitePath: fixture.configuration.databasePath, logger: fixture.logger)
            let watched = try await InProcessServer.start(fixture.configuration, storage: fixture.storage, logger: fixture.logger)
            let pushedTo = try await InProcessServer.start(fixture.configuration, storage: second, logger: fixture.logger)
            do {
                let alice = try await fixture.enroll("alice")
                let bob = try await fixture.enroll("bob")
                var announcements = try Self.watch(watched, token: alice.token).makeAsyncIterator()
                #expect(try await Self.next(news: &announcements) == 0)
                // Pushes to the other server until the watcher hears of one: the relay starts
                // listening once its service runs, and a push before that is missed (it costs
                // a real device one poll interval).
                let pusher = Task {
                    try await TestClient.withClient(host: "127.0.0.1", port: pushedTo.port) { client in
                        var bob = bob
                        while !Task.isCancelled {
                            let change = try bob.write("account", newRecordID(), accountFields(name: "Far Away Ltd"))
                            _ = try await LiveServerTests.sync(client, &bob, pushing: [change], gzip: true)
                            try await Task.sleep(for: .milliseconds(200))
                        }
                    }
                }
                let heard = try await Self.next(news: &announcements)
                pusher.cancel()
                _ = try? await pusher.value
                let position = try await fixture.storage.latestSequence()
                #expect(heard.map { $0 > 0 && $0 <= position } == true, "heard \(String(describing: heard)), log at \(position)")
            } catch {
                try await watched.stop()
                try await pushedTo.stop()
                try await second.close()
                throw error
            }
            try await watched.stop()
            try await pushedTo.stop()
            try await second.close()
        }
    }

    @Test("the position a watcher is told only grows, and a slow watcher skips to the newest")
    func newsCoalesces() async throws {
        let news = LiveNews(capacity: 2)
        let watcher = try news.watch(knowing: 5)
        #expect(watcher.take() == Watcher.Pending(position: 5))
        #expect(watcher.take() == Watcher.Pending())
        news.announce(7)
        news.receive(9)
        news.announce(8)
        watcher.ping()
        #expect(watcher.take() == Watcher.Pending(position: 9), "the newest position; the ping is superfluous")
        #expect(news.latest == 9)
        _ = try news.watch(knowing: 0)
        #expect(throws: ServerError.self) { try news.watch(knowing: 0) }
        news.end(watcher)
        #expect(news.watcherCount == 1)
    }

    @Test("a watch whose outgoing data stays unread for the stall limit is closed; one that drains in time is not")
    func sendStall() throws {
        var logger = Logger(label: "stall-test")
        logger.logLevel = .critical
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(SendStallHandler(limit: .seconds(30), logger: logger))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8080)).wait()
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(20))
        #expect(channel.isActive, "the peer read within the limit")
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        channel.embeddedEventLoop.advanceTime(by: .seconds(29))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive, "the peer read nothing for the whole limit")
    }

    @Test("the watch settings come from the environment, and bad values are refused")
    func configuration() throws {
        let configuration = try ServerConfiguration().applying(environment: ["FIELDSYNC_WATCH_PING": "2.5", "FIELDSYNC_MAX_WATCHERS": "0"])
        #expect(configuration.watchPingInterval == .milliseconds(2500))
        #expect(configuration.maxWatchers == 0)
        #expect(ServerConfiguration().watchPingInterval == .seconds(15))
        #expect(ServerConfiguration().maxWatchers == 5000)
        for (key, value) in [("FIELDSYNC_WATCH_PING", "0"), ("FIELDSYNC_WATCH_PING", "often"), ("FIELDSYNC_MAX_WATCHERS", "-1")] {
            #expect(throws: ConfigurationError.self, "\(key)=\(value)") { try ServerConfiguration().applying(environment: [key: value]) }
        }
    }

    @Test("with maxWatchers 0 there is no watch route: live sync is off")
    func liveSyncOff() async throws {
        try await withFixture(configure: { $0.maxWatchers = 0 }) { (fixture) async throws in
            let alice = try await fixture.enroll("alice")
            let app = try await fixture.app()
            try await app.test(.router) { client in
                let response = try await client.execute(uri: "/v1/watch", method: .get, headers: [.authorization: "Bearer \(alice.token)"])
                #expect(response.status == .notFound)
            }
        }
    }

    // MARK: Helpers

    static func watch(_ server: RunningServer, token: String) throws -> AsyncThrowingStream<LiveAnnouncement, any Error> {
        let transport = URLSessionTransport(baseURL: try #require(URL(string: server.baseURL)))
        return transport.announcements(
            TransportRequest(method: "GET", path: "/v1/watch", headers: ["Authorization": "Bearer \(token)"]), silence: .seconds(30)
        )
    }

    enum Outcome: Equatable {
        case announced
        case failure(String)
    }

    /// Opens a watch, reads its first announcement or refusal, and closes it.
    static func firstAnnouncement(_ server: RunningServer, token: String) async throws -> Outcome {
        do {
            for try await _ in try watch(server, token: token) { return .announced }
            return .failure("ended")
        } catch let error as SyncClientError {
            return .failure(error.code)
        }
    }

    /// The next news position, past pings.
    static func next(news iterator: inout AsyncThrowingStream<LiveAnnouncement, any Error>.Iterator) async throws -> LogSequence? {
        while let announcement = try await iterator.next() {
            if case .news(let position) = announcement { return position }
        }
        return nil
    }
}
