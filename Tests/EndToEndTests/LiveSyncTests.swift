import CRM
import FieldSyncTestSupport
import FieldWork
import Foundation
import Logging
import Synchronization
import SyncClient
import SyncCore
import SyncServer
import SyncStore
import Testing

/// Live sync (`GET /v1/watch`, `SyncClient.watch`): an online device gets another device's
/// change without polling — every watch here polls only every 10 minutes, far longer than any
/// wait, so a change that arrives came through the news stream.
@Suite("Live sync: watching devices hear of news")
struct LiveSyncTests {
    static let logger: Logger = {
        var logger = Logger(label: "fieldsync-live-tests")
        logger.logLevel = .critical
        return logger
    }()
    /// Longer than any wait below: a sync for news never comes from the poll.
    static let noPolling = WatchOptions(pollInterval: .seconds(600))
    /// Longer than any step takes even in a full test run on 2 cores, where a step that takes
    /// a second alone has taken over a minute (hundreds of tests share the cooperative pool).
    static let patience = Duration.seconds(300)

    /// A server over a fresh store, and a way to enroll devices of users with territories.
    final class World: Sendable {
        let directory: TemporaryDirectory
        let storage: TestStore
        let servers: [RunningServer]
        let extraStores: [any SQLServerStorage]
        let watchers = Locked<[Watching]>([])

        /// Runs `body` with a world, torn down after it whatever happens.
        static func run(
            _ backend: StorageBackend, servers: Int = 1, configure: (inout ServerConfiguration) -> Void = { _ in },
            _ body: (World) async throws -> Void
        ) async throws {
            let world = try await World(backend, servers: servers, configure: configure)
            do {
                try await body(world)
            } catch {
                await world.tearDown()
                throw error
            }
            await world.tearDown()
        }

        /// Starts `client` watching; stopped at tear-down.
        func watch(_ client: SyncClient, options: WatchOptions = LiveSyncTests.noPolling) -> Watching {
            let watching = Watching(client, options: options)
            watchers.withLock { $0.append(watching) }
            return watching
        }

        init(_ backend: StorageBackend, servers count: Int = 1, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
            directory = try TemporaryDirectory("live-sync")
            storage = try await TestStore.open(backend, sqlitePath: directory.path("server.sqlite"), logger: LiveSyncTests.logger)
            var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, databasePath: directory.path("server.sqlite"), rateLimitPerSecond: 0)
            configure(&configuration)
            var servers = [try await InProcessServer.start(configuration, storage: storage, logger: LiveSyncTests.logger)]
            var extra: [any SQLServerStorage] = []
            for _ in 1..<count {
                // Another server process on the same PostgreSQL database: its own store and pool.
                let other = try await storage.reopen(sqlitePath: directory.path("server.sqlite"), logger: LiveSyncTests.logger)
                extra.append(other)
                servers.append(try await InProcessServer.start(configuration, storage: other, logger: LiveSyncTests.logger))
            }
            self.servers = servers
            self.extraStores = extra
        }

        /// Enrolls a device of a new rep working `territories`, through server `server`.
        func device(_ name: String, territories: [String], server: Int = 0) async throws -> SyncClient {
            let created = try await AccountService(storage: storage, logger: LiveSyncTests.logger).createUser(name: name, role: .rep, territories: territories)
            let store = try FieldWork.openStore(path: directory.path("\(name).sqlite"), logger: LiveSyncTests.logger)
            let url = try #require(URL(string: servers[server].baseURL))
            let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: url), logger: LiveSyncTests.logger)
            try await client.enroll(code: created.enrollmentCode, deviceName: name, serverURL: servers[server].baseURL)
            _ = try await client.sync()
            return client
        }

        func tearDown() async {
            for watching in watchers.withLock({ $0 }) { await watching.stop() }
            for server in servers { try? await server.stop() }
            for store in extraStores { try? await store.close() }
            try? await storage.close()
            directory.remove()
        }
    }

    /// A device watching in the background, with everything its watch reported.
    final class Watching: Sendable {
        let reports = Locked<[WatchReport]>([])
        let task: Task<Void, any Error>

        init(_ client: SyncClient, options: WatchOptions = LiveSyncTests.noPolling) {
            let reports = self.reports
            task = Task { try await client.watch(options) { report in reports.withLock { $0.append(report) } } }
        }

        var listening: Bool { reports.withLock { $0.contains { if case .listening = $0 { true } else { false } } } }

        /// The reasons of the syncs so far.
        var reasons: [WatchReason] {
            reports.withLock { $0.compactMap { if case .synced(_, let reason) = $0 { reason } else { nil } } }
        }

        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    /// Creates an account in `territory` on `client`'s device and pushes it; returns its id.
    static func pushAccount(_ client: SyncClient, territory: String) async throws -> RecordID {
        let edit = try FieldWork(store: client.store).createAccount(.init(name: "客户 \(UUID().uuidString.prefix(8))", territory: territory))
        _ = try await client.sync()
        return edit.change.recordID
    }

    @Test("a watching device gets another device's change through the news stream", arguments: StorageBackend.all)
    func newsReachesWatcher(backend: StorageBackend) async throws {
        try await World.run(backend) { world in
            let writer = try await world.device("writer", territories: ["east"])
            let reader = try await world.device("reader", territories: ["east"])
            let watching = world.watch(reader)
            #expect(try await eventually(within: Self.patience) { watching.listening })

            let id = try await Self.pushAccount(writer, territory: "east")
            #expect(try await eventually(within: Self.patience) { try reader.store.record("account", id: id) != nil })
            #expect(try await eventually(within: Self.patience) { watching.reasons.contains(.news) })
            #expect(!watching.reasons.contains(.poll))
        }
    }

    @Test("the device's own edits are pushed while it watches", arguments: [StorageBackend.sqlite])
    func ownEditsPushed(backend: StorageBackend) async throws {
        try await World.run(backend) { world in
            let rep = try await world.device("rep", territories: ["east"])
            let watching = world.watch(rep)
            #expect(try await eventually(within: Self.patience) { watching.listening })

            let edit = try FieldWork(store: rep.store).createAccount(.init(name: "华东客户", territory: "east"))
            #expect(try await eventually(within: Self.patience) { try await world.storage.record(entity: "account", id: edit.change.recordID) != nil })
            #expect(try await eventually(within: Self.patience) { watching.reasons.contains(.localEdit) })
        }
    }

    @Test("news is for the device's scope and not for its own changes", arguments: StorageBackend.all)
    func newsByScopeAndOrigin(backend: StorageBackend) async throws {
        try await World.run(backend) { world in
            let east = try await world.device("east-rep", territories: ["east"])
            let west = try await world.device("west-rep", territories: ["west"])
            let before = try await world.storage.newsPosition()
            _ = try await Self.pushAccount(east, territory: "east")
            let after = try await world.storage.newsPosition()
            #expect(after > before)

            func news(_ scope: AccessScope, excluding client: SyncClient) async throws -> Bool {
                try await world.storage.hasNews(after: before, through: after, scope: scope, excluding: client.store.replicaID)
            }
            #expect(try await news(.territories(["east"]), excluding: west))
            #expect(try await !news(.territories(["east"]), excluding: east))
            #expect(try await !news(.territories(["west"]), excluding: west))
            #expect(try await news(.everything, excluding: west))
            #expect(try await !world.storage.hasNews(after: after, through: after, scope: .everything, excluding: west.store.replicaID))
        }
    }

    @Test("a change pushed to one server reaches a device watching another (LISTEN/NOTIFY)", .enabled(if: PostgresTestCluster.shouldRun, "PostgreSQL is not installed"))
    func newsAcrossServers() async throws {
        try await World.run(.postgres, servers: 2) { world in
            let writer = try await world.device("writer", territories: ["east"], server: 0)
            let reader = try await world.device("reader", territories: ["east"], server: 1)
            let watching = world.watch(reader)
            #expect(try await eventually(within: Self.patience) { watching.listening })

            let id = try await Self.pushAccount(writer, territory: "east")
            #expect(try await eventually(within: Self.patience) { try reader.store.record("account", id: id) != nil })
            #expect(try await eventually(within: Self.patience) { watching.reasons.contains(.news) })
        }
    }

    @Test("stopping the server ends the watch streams instead of waiting for them")
    func shutdownEndsStreams() async throws {
        // A grace period longer than the test's patience: a stream that held the shutdown
        // would show as a stop that does not return.
        try await World.run(.sqlite, configure: { $0.shutdownGracePeriod = .seconds(3600) }) { world in
            let reader = try await world.device("reader", territories: ["east"])
            let watching = world.watch(reader)
            #expect(try await eventually(within: Self.patience) { watching.listening })

            // The stop's outcome, kept: a stop that fails says why instead of looking slow.
            let stopped = Locked<Result<Void, any Error>?>(nil)
            let stop = Task {
                do {
                    try await world.servers[0].stop()
                    stopped.withLock { $0 = .success(()) }
                } catch {
                    stopped.withLock { $0 = .failure(error) }
                }
            }
            #expect(try await eventually(within: Self.patience) { stopped.value != nil })
            stop.cancel()
            try stopped.value?.get()
            // The device goes on: it reports the lost stream and retries.
            #expect(try await eventually(within: Self.patience) {
                watching.reports.withLock { $0.contains { if case .streamLost = $0 { true } else { false } } }
            })
        }
    }

    @Test("past max-watchers a watch is refused with server_busy; the device keeps polling")
    func tooManyWatchers() async throws {
        try await World.run(.sqlite, configure: { $0.maxWatchers = 1 }) { world in
            let first = try await world.device("first", territories: ["east"])
            let second = try await world.device("second", territories: ["east"])
            let watching = world.watch(first)
            #expect(try await eventually(within: Self.patience) { watching.listening })

            let refused = world.watch(second)
            #expect(try await eventually(within: Self.patience) {
                refused.reports.withLock { $0.contains { if case .streamLost(let error, let delay) = $0 { error.code == "server_busy" && delay >= .seconds(30) } else { false } } }
            })
            #expect(!refused.listening)
            #expect(try await eventually(within: Self.patience) { refused.reasons == [.start] })
        }
    }

    @Test("a device whose scope changes hears of it at the next ping, and its sync is a resync")
    func scopeChangeWakes() async throws {
        try await World.run(.sqlite, configure: { $0.watchPingInterval = .milliseconds(200) }) { world in
            let rep = try await world.device("rep", territories: ["east"])
            let watching = world.watch(rep)
            // The watch's first sync done too: a scope change during it would be answered
            // there (a resync of reason start), and the news would find nothing left to do.
            #expect(try await eventually(within: Self.patience) { watching.listening && watching.reasons.contains(.start) })

            _ = try await world.storage.updateUser(named: "rep", territories: ["east", "west"], team: [])
            #expect(try await eventually(within: Self.patience) {
                watching.reports.withLock { $0.contains { if case .synced(let summary, .news) = $0 { summary.resyncs > 0 } else { false } } }
            })
        }
    }

    @Test("a revoked device's stream ends at the next ping, and its watch stops with the refusal")
    func revokedDeviceStops() async throws {
        try await World.run(.sqlite, configure: { $0.watchPingInterval = .milliseconds(200) }) { world in
            let rep = try await world.device("rep", territories: ["east"])
            let watching = world.watch(rep)
            #expect(try await eventually(within: Self.patience) { watching.listening })

            try await AccountService(storage: world.storage, logger: Self.logger).revokeDevice(rep.store.replicaID)
            let result = await watching.task.result
            let error = try #require(result.failure as? SyncClientError)
            #expect(error.code == "device_revoked")
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
