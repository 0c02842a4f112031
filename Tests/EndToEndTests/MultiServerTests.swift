import CRM
import FieldSyncTestSupport
import FieldWork
import Foundation
import Logging
import SyncClient
import SyncCore
import SyncServer
import SyncStore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Several `fieldsync-server` processes on one PostgreSQL database, as behind a load balancer:
/// devices edit offline and sync concurrently through servers picked at random, switching on
/// every sync. Concurrent pushes through different servers must never share a sequence nor
/// publish one a device could skip past; after a quiet round every device holds exactly the
/// server's records and no accepted write is missing.
@Suite("Several servers on one PostgreSQL database", .enabled(if: PostgresTestCluster.shouldRun, "PostgreSQL is not installed"))
struct MultiServerTests {
    static let logger: Logger = {
        var logger = Logger(label: "fieldsync-multi-server-tests")
        logger.logLevel = .critical
        return logger
    }()
    static let serverCount = 3
    static let deviceCount = 5

    @Test("devices syncing through three servers at random converge, and no accepted write is lost", arguments: [UInt64(1), 2])
    func devicesConvergeThroughRandomServers(seed: UInt64) async throws {
        let serverExecutable = try Executables.url("fieldsync-server")
        let database = try await PostgresTestCluster.shared().createDatabase()
        defer { database.drop() }
        let directory = try TemporaryDirectory("multi-server")
        defer { directory.remove() }
        let logger = Self.logger

        // The servers start together: their migrations race, and the migration lock orders them.
        let servers = (0..<Self.serverCount).map { _ in
            ServerProcess(
                executable: serverExecutable,
                arguments: ["serve", "--port", "0", "--postgres-url", database.url, "--log-level", "error", "--rate-limit", "0"]
            )
        }
        defer { servers.forEach { $0.terminate() } }
        let urls = try await withThrowingTaskGroup(of: URL.self) { group in
            for server in servers {
                group.addTask { try await server.start() }
            }
            return try await group.reduce(into: [URL]()) { $0.append($1) }
        }
        #expect(urls.count == Self.serverCount)

        // Users come from the admin CLI on the same database, devices enroll through any server.
        let ledger = WriteLedger()
        let catalog = RecordCatalog()
        var stores: [DeviceStore] = []
        for index in 0..<Self.deviceCount {
            // Every territory the edit generator writes to, so that no edit is out of scope.
            let territories = EditGenerator.territories.flatMap { ["--territory", $0] }
            let added = try await LoggedProcess.run(
                serverExecutable, ["user", "add", "rep\(index)", "--postgres-url", database.url] + territories, logDirectory: directory.url
            )
            let code = try #require(
                added.stdout.split(separator: "\n").first { $0.hasPrefix("enrollment code: ") }?.dropFirst("enrollment code: ".count),
                "user add failed: \(added.stderr)"
            )
            let store = try FieldWork.openStore(path: directory.path("device\(index).sqlite"), logger: logger)
            let url = urls[index % urls.count]
            try await SyncClient(store: store, transport: URLSessionTransport(baseURL: url), logger: logger)
                .enroll(code: String(code), deviceName: "device\(index)", serverURL: url.absoluteString)
            stores.append(store)
        }

        var rng = SplitMix64(seed: seed)
        var pushed = 0
        for _ in 0..<8 {
            var plan: [(store: DeviceStore, url: URL)] = []
            for store in stores {
                try InProcessCluster.edit(store, count: Int.random(in: 1...4, using: &rng), ledger: ledger, catalog: catalog, rng: &rng)
                plan.append((store, urls[Int.random(in: 0..<urls.count, using: &rng)]))
            }
            // Every device syncs at once, each through its server of the round.
            pushed += try await withThrowingTaskGroup(of: Int.self) { group in
                for (store, url) in plan {
                    group.addTask {
                        let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: url), retry: InProcessCluster.quickRetry, logger: logger)
                        return try await client.sync().pushed
                    }
                }
                return try await group.reduce(0, +)
            }
        }
        #expect(pushed > 0)

        // Quiet rounds, still through random servers: everything committed reaches everyone.
        for _ in 1...2 {
            for store in stores {
                let url = urls[Int.random(in: 0..<urls.count, using: &rng)]
                _ = try await SyncClient(store: store, transport: URLSessionTransport(baseURL: url), logger: logger).sync()
            }
        }
        let storage = try await PostgresServerStorage(url: database.url, maximumConnections: 2, logger: logger)
        let records = try await storage.records()
        let logCount = try await storage.logCount()
        let latest = try await storage.latestSequence()
        let open = try await storage.conflicts(openOnly: true)
        try await storage.close()

        var problems = ledger.problems(in: records)
        problems += try Convergence.problems(devices: stores.enumerated().map { ("device\($0.offset)", $0.element) }, server: records)
        problems += Convergence.serverConflictProblems(open: open, records: records)
        #expect(problems.isEmpty, "seed \(seed):\n\(problems.joined(separator: "\n"))")
        // One sequence per logged change, none shared (the primary key). A push that PostgreSQL
        // aborted (a deadlock between merge locks, a dot two servers inserted at once) runs again
        // and leaves the sequences it was given unused: the identity never hands them out again,
        // so the log may have gaps, never more entries than sequences.
        #expect(Int64(logCount) <= latest)

        // The server dump (CLI, on the same database) is the devices' canonical dump.
        let dumped = try await LoggedProcess.run(serverExecutable, ["dump", "--postgres-url", database.url], logDirectory: directory.url)
        #expect(dumped.succeeded, "\(dumped.stderr)")
        let serverDump = try JSONDecoder().decode([RecordState].self, from: Data(dumped.stdout.utf8))
        #expect(serverDump == records)
        for store in stores {
            #expect(try JSONDecoder().decode([RecordState].self, from: try store.canonicalDump()) == serverDump)
        }
        print("multi-server seed \(seed): \(Self.serverCount) servers, \(Self.deviceCount) devices, \(ledger.changeCount) changes, \(logCount) logged, lost 0, diverged 0")
    }
}
