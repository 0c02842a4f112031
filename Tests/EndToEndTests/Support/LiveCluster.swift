import CRM
import FieldWork
import FieldSyncTestSupport
import Foundation
import Logging
import Synchronization
import SyncClient
import SyncCore
import SyncServer
import SyncStore

/// A real `fieldsync-server` process behind a `FaultProxy`, and device databases synced by
/// real `fieldsync` processes through the proxy. The server's store is an SQLite file, or a
/// fresh database of the PostgreSQL test cluster (dropped at `tearDown`). Edits are made in the test process through
/// `DeviceStore` (while no `fieldsync` process has the file open) and recorded in a ledger.
final class LiveCluster: Sendable {
    let directory: TemporaryDirectory
    let serverDatabase: String
    let devices: [String]
    let proxy: FaultProxy
    let ledger = WriteLedger()
    let catalog = RecordCatalog()
    let tally = FaultTally()
    let client: URL
    let serverExecutable: URL
    /// The PostgreSQL database the server runs on; nil on SQLite (`serverDatabase`).
    let postgres: PostgresTestDatabase?
    private let server: Mutex<ServerProcess?>

    private init(
        directory: TemporaryDirectory, postgres: PostgresTestDatabase?, devices: [String], proxy: FaultProxy, server: ServerProcess, client: URL, serverExecutable: URL
    ) {
        self.directory = directory
        self.serverDatabase = directory.path("server.sqlite")
        self.postgres = postgres
        self.devices = devices
        self.proxy = proxy
        self.server = Mutex(server)
        self.client = client
        self.serverExecutable = serverExecutable
    }

    /// Starts a server, a proxy, and enrolls and bootstraps `deviceCount` devices.
    static func start(label: String, deviceCount: Int, seed: UInt64, backend: StorageBackend = .sqlite) async throws -> LiveCluster {
        let client = try Executables.url("fieldsync")
        let serverExecutable = try Executables.url("fieldsync-server")
        let directory = try TemporaryDirectory(label)
        let postgres = backend == .postgres ? try await PostgresTestCluster.shared().createDatabase() : nil
        // A start that fails takes down what it had made, so no server or database outlives it.
        var server: ServerProcess?
        var cluster: LiveCluster?
        do {
            return try await start(
                directory: directory, postgres: postgres, deviceCount: deviceCount, seed: seed, client: client, serverExecutable: serverExecutable,
                started: { server = $0 }, built: { cluster = $0 }
            )
        } catch {
            if let cluster {
                cluster.tearDown()
            } else {
                server?.terminate()
                postgres?.drop()
                directory.remove()
            }
            throw error
        }
    }

    private static func start(
        directory: TemporaryDirectory, postgres: PostgresTestDatabase?, deviceCount: Int, seed: UInt64, client: URL, serverExecutable: URL,
        started: (ServerProcess) -> Void, built: (LiveCluster) -> Void
    ) async throws -> LiveCluster {
        let store = storeArguments(postgres: postgres, sqlitePath: directory.path("server.sqlite"))
        var codes: [String] = []
        for index in 0..<deviceCount {
            let result = try await LoggedProcess.run(
                serverExecutable, ["user", "add", "rep\(index)", "--role", "rep"] + EditGenerator.territories.flatMap { ["--territory", $0] } + store, logDirectory: directory.url
            )
            guard result.succeeded, let line = result.stdout.split(separator: "\n").first(where: { $0.hasPrefix("enrollment code: ") }) else {
                throw ProxyError("fieldsync-server user add failed: \(result.stderr)")
            }
            codes.append(String(line.dropFirst("enrollment code: ".count)))
        }
        let server = try await startServer(serverExecutable, store: store)
        started(server)
        guard let port = server.url?.port else { throw ProxyError("the server reported no port") }
        let proxy = try FaultProxy(upstreamPort: port, seed: seed)
        let devices = (0..<deviceCount).map { directory.path("device\($0).sqlite") }
        let cluster = LiveCluster(
            directory: directory, postgres: postgres, devices: devices, proxy: proxy, server: server, client: client, serverExecutable: serverExecutable
        )
        built(cluster)
        for (index, code) in codes.enumerated() {
            let enrolled = try await LoggedProcess.run(
                client, ["enroll", "--db", devices[index], "--server", proxy.url.absoluteString, "--code", code, "--name", "device\(index)"],
                logDirectory: directory.url
            )
            guard enrolled.succeeded else { throw ProxyError("fieldsync enroll failed: \(enrolled.stderr)") }
            let synced = try await cluster.sync(index)
            guard synced.succeeded else { throw ProxyError("first fieldsync sync failed: \(synced.stderr)") }
        }
        return cluster
    }

    private static func startServer(_ executable: URL, store: [String]) async throws -> ServerProcess {
        let server = ServerProcess(executable: executable, arguments: ["serve", "--port", "0", "--log-level", "error"] + store)
        _ = try await server.start()
        return server
    }

    /// The arguments of a `fieldsync-server` command that name the store.
    private static func storeArguments(postgres: PostgresTestDatabase?, sqlitePath: String) -> [String] {
        postgres.map { ["--postgres-url", $0.url] } ?? ["--db", sqlitePath]
    }

    private var storeArguments: [String] { Self.storeArguments(postgres: postgres, sqlitePath: serverDatabase) }

    /// Opens the server's store in this process (beside the running server), runs `body` and
    /// closes it again.
    private func withServerStorage<T: Sendable>(_ body: (any SQLServerStorage) async throws -> T) async throws -> T {
        var logger = Logger(label: "fieldsync-tests")
        logger.logLevel = .critical
        let storage: any SQLServerStorage = if let postgres {
            try await PostgresServerStorage(url: postgres.url, maximumConnections: 2, logger: logger)
        } else {
            try SQLiteServerStorage(path: serverDatabase, logger: logger)
        }
        do {
            let result = try await body(storage)
            // Closing checkpoints SQLite's WAL; a running server may hold it, which is harmless here.
            try? await storage.close()
            return result
        } catch {
            try? await storage.close()
            throw error
        }
    }

    // MARK: Devices

    /// Opens a device database in this process, runs `body`, and closes it again.
    func withStore<T>(_ index: Int, _ body: (DeviceStore) throws -> T) throws -> T {
        let store = try FieldWork.openStore(path: devices[index])
        return try body(store)
    }

    /// Makes `count` random edits on a device (refused ones are retried with other edits).
    func edit(_ index: Int, count: Int, rng: inout SplitMix64) throws {
        let generator = EditGenerator()
        try withStore(index) { store in
            var made = 0
            var attempts = 0
            while made < count && attempts < count * 10 {
                attempts += 1
                let edits = try generator.edits(for: store, catalog: catalog, rng: &rng)
                if try store.applyTracked(edits, ledger: ledger, catalog: catalog) { made += edits.count }
            }
        }
    }

    func outboxCount(_ index: Int) throws -> Int {
        try withStore(index) { try $0.outbox().count }
    }

    /// Starts `fieldsync sync --json` on a device.
    func startSync(_ index: Int) async throws -> LoggedProcess {
        try await LoggedProcess(client, ["sync", "--db", devices[index], "--json"], logDirectory: directory.url)
    }

    func sync(_ index: Int) async throws -> CommandResult {
        let child = try await startSync(index)
        return await child.wait()
    }

    // MARK: Server

    var serverProcess: ServerProcess? { server.withLock { $0 } }

    /// SIGKILLs the server (from any thread, e.g. a proxy hook).
    func killServer() {
        server.withLock { $0 }?.kill()
    }

    /// Starts a new server process on the same database and points the proxy at it.
    func restartServer() async throws {
        let old = server.withLock { server in
            defer { server = nil }
            return server
        }
        old?.kill()
        await old?.wait()
        let fresh = try await Self.startServer(serverExecutable, store: storeArguments)
        guard let port = fresh.url?.port else { throw ProxyError("the restarted server reported no port") }
        server.withLock { $0 = fresh }
        proxy.setUpstreamPort(port)
    }

    /// The server's log length and records, read from its database.
    func serverState() async throws -> (logCount: Int, records: [RecordState], conflicts: [SyncServer.ConflictEntry]) {
        try await withServerStorage { storage in
            (try await storage.logCount(), try await storage.records(), try await storage.conflicts(openOnly: true))
        }
    }

    /// Runs `fieldsync-server ARGS` on the server's store (user, code, device commands) while
    /// the server runs; throws when it fails.
    @discardableResult
    func serverCommand(_ arguments: [String]) async throws -> String {
        let result = try await LoggedProcess.run(serverExecutable, arguments + storeArguments, logDirectory: directory.url)
        guard result.succeeded else { throw ProxyError("fieldsync-server \(arguments.joined(separator: " ")) failed: \(result.stderr)") }
        return result.stdout
    }

    /// A new one-time code for `user` (`fieldsync-server user code`).
    func enrollmentCode(for user: String) async throws -> String {
        let output = try await serverCommand(["user", "code", user])
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("enrollment code: ") }) else {
            throw ProxyError("fieldsync-server user code printed no code: \(output)")
        }
        return String(line.dropFirst("enrollment code: ".count))
    }

    /// The devices the server lists, read from its database.
    func serverDevices() async throws -> [DeviceAccount] {
        try await withServerStorage { storage in try await storage.devices() }
    }

    // MARK: Checks

    /// Syncs every device twice without faults, then returns every problem: divergence,
    /// lost or phantom writes, counters, stuck outboxes, and a `fieldsync dump` that differs
    /// from the store.
    func recoverAndCheck() async throws -> [String] {
        proxy.setPlan(.none)
        proxy.setHooks(FaultProxy.Hooks())
        var problems: [String] = []
        for _ in 1...2 {
            for index in devices.indices {
                let result = try await sync(index)
                if !result.succeeded { problems.append("recovery sync of device\(index) failed: \(result.stderr)") }
            }
        }
        let server = try await serverState()
        // Changes refused for clock skew were stamped again: the ledger follows the server's stamps.
        problems += ledger.adoptStamps(from: server.records)
        problems += ledger.problems(in: server.records)
        problems += Convergence.serverConflictProblems(open: server.conflicts, records: server.records)
        let stores = try devices.indices.map { index in
            ("device\(index)", try DeviceStore(path: devices[index], schema: CRMSchema.schema))
        }
        problems += try Convergence.problems(devices: stores, server: server.records)
        let dumped = try await LoggedProcess.run(client, ["dump", "--db", devices[0]], logDirectory: directory.url)
        if try dumped.stdout.trimmingCharacters(in: .whitespacesAndNewlines) != String(decoding: stores[0].1.canonicalDump(), as: UTF8.self) {
            problems.append("`fieldsync dump` of device0 differs from its store's canonical dump")
        }
        return problems
    }

    func tearDown() {
        proxy.stop()
        server.withLock { $0 }?.terminate()
        postgres?.drop()
        directory.remove()
    }
}

/// A pid handed from the test to a proxy hook that must SIGKILL it.
final class ProcessSlot: Sendable {
    private let process = Mutex<LoggedProcess?>(nil)
    private let killed = Mutex(false)

    init() {}

    func set(_ child: LoggedProcess) { process.withLock { $0 = child } }

    /// Kills the process once it is known (waiting up to 5 s for the test to set it).
    func killProcess() {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let child = process.withLock({ $0 }) {
                child.kill()
                killed.withLock { $0 = true }
                return
            }
            usleep(1000)
        }
    }

    var didKill: Bool { killed.withLock { $0 } }
}
