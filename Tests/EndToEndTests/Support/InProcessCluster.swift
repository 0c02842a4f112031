import CRM
import FieldSyncTestSupport
import FieldWork
import Foundation
import Logging
import SyncClient
import SyncCore
import SyncServer
import SyncStore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A live in-process server (`InProcessServer` on a loopback port, over a SQLite store on a
/// temporary file or a fresh PostgreSQL database) and devices that sync with the real `SyncClient` over URLSession, through whatever
/// transport a test wraps around it.
final class InProcessCluster: Sendable {
    struct Device: Sendable {
        var name: String
        var store: DeviceStore
        var client: SyncClient
    }

    let directory: TemporaryDirectory
    let storage: TestStore
    let server: RunningServer
    let ledger = WriteLedger()
    let catalog = RecordCatalog()
    let devices: [Device]
    let logger: Logger

    static let quickRetry = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(2), maxDelay: .milliseconds(20))

    /// Starts the server and enrolls `deviceCount` devices. `transport` wraps the URLSession
    /// transport of device `index` (or replaces its base URL, for a proxy).
    static func start(
        label: String, deviceCount: Int, deviceDirectory: URL? = nil, backend: StorageBackend = .sqlite,
        transport: (_ index: Int, _ serverURL: URL) throws -> any SyncTransport
    ) async throws -> InProcessCluster {
        let directory = try TemporaryDirectory(label)
        var logger = Logger(label: "fieldsync-fault-tests")
        logger.logLevel = .critical
        let storage = try await TestStore.open(backend, sqlitePath: directory.path("server.sqlite"), logger: logger)
        let server = try await InProcessServer.start(
            ServerConfiguration(host: "127.0.0.1", port: 0, databasePath: directory.path("server.sqlite")), storage: storage, logger: logger
        )
        guard let serverURL = URL(string: server.baseURL) else { throw ProxyError("bad server URL \(server.baseURL)") }
        let accounts = AccountService(storage: storage, logger: logger)
        var devices: [Device] = []
        for index in 0..<deviceCount {
            let created = try await accounts.createUser(name: "rep\(index)", role: .rep, territories: EditGenerator.territories)
            let path = (deviceDirectory ?? directory.url).appendingPathComponent("device\(index).sqlite").path
            let store = try FieldWork.openStore(path: path, logger: logger)
            // Enrollment is not retryable (single-use code): always straight to the server.
            try await SyncClient(store: store, transport: URLSessionTransport(baseURL: serverURL), logger: logger)
                .enroll(code: created.enrollmentCode, deviceName: "device\(index)", serverURL: server.baseURL)
            let client = SyncClient(store: store, transport: try transport(index, serverURL), retry: quickRetry, batchSize: 40, pageLimit: 60, logger: logger)
            devices.append(Device(name: "device\(index)", store: store, client: client))
        }
        return InProcessCluster(directory: directory, storage: storage, server: server, devices: devices, logger: logger)
    }

    private init(directory: TemporaryDirectory, storage: TestStore, server: RunningServer, devices: [Device], logger: Logger) {
        self.directory = directory
        self.storage = storage
        self.server = server
        self.devices = devices
        self.logger = logger
    }

    /// A client of `store` that talks straight to the server, with no faults.
    func directClient(_ store: DeviceStore) throws -> SyncClient {
        guard let url = URL(string: server.baseURL) else { throw ProxyError("bad server URL") }
        return SyncClient(store: store, transport: URLSessionTransport(baseURL: url), retry: Self.quickRetry, logger: logger)
    }

    func directClient(_ index: Int) throws -> SyncClient {
        try directClient(devices[index].store)
    }

    /// Enrolls one more device (a new user) with a store at `path`, syncing straight to the
    /// server; the caller keeps it and passes it to `recoverAndCheck(extra:)`.
    func enrollExtra(name: String, path: String) async throws -> Device {
        let created = try await AccountService(storage: storage, logger: logger).createUser(name: name, role: .rep, territories: EditGenerator.territories)
        let store = try FieldWork.openStore(path: path, logger: logger)
        let client = try directClient(store)
        try await client.enroll(code: created.enrollmentCode, deviceName: name, serverURL: server.baseURL)
        return Device(name: name, store: store, client: client)
    }

    /// Random edits on one device.
    func edit(_ index: Int, count: Int, rng: inout SplitMix64) throws {
        try edit(devices[index].store, count: count, rng: &rng)
    }

    func edit(_ store: DeviceStore, count: Int, rng: inout SplitMix64) throws {
        try Self.edit(store, count: count, ledger: ledger, catalog: catalog, rng: &rng)
    }

    /// Random edits on a store, recorded in `ledger` and `catalog`.
    static func edit(_ store: DeviceStore, count: Int, ledger: WriteLedger, catalog: RecordCatalog, rng: inout SplitMix64) throws {
        let generator = EditGenerator()
        var made = 0
        var attempts = 0
        while made < count && attempts < count * 10 {
            attempts += 1
            let edits = try generator.edits(for: store, catalog: catalog, rng: &rng)
            if try store.applyTracked(edits, ledger: ledger, catalog: catalog) { made += edits.count }
        }
    }

    /// Syncs every device (and `extra` ones) twice with no faults, then returns every problem
    /// found.
    func recoverAndCheck(extra: [Device] = []) async throws -> [String] {
        let everyone = devices + extra
        for _ in 1...2 {
            for device in everyone {
                _ = try await directClient(device.store).sync()
            }
        }
        let records = try await storage.records()
        // A change refused for clock skew is stamped again by its device (a loaded machine can
        // put a device's clock estimate a minute ahead): the ledger follows the server's stamps.
        var problems = ledger.adoptStamps(from: records)
        problems += ledger.problems(in: records)
        problems += try Convergence.problems(devices: everyone.map { ($0.name, $0.store) }, server: records)
        problems += Convergence.serverConflictProblems(open: try await storage.conflicts(openOnly: true), records: records)
        return problems
    }

    func tearDown() async {
        try? await server.stop()
        try? await storage.close()
        directory.remove()
    }
}
