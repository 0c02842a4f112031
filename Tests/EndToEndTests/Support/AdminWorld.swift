import CRM
import FieldSyncTestSupport
import Foundation
import Logging
import SyncClient
import SyncCore
import SyncServer
import SyncStore
import Testing

/// A sync server running in-process on a loopback port over a temporary SQLite store or a fresh
/// PostgreSQL database, with
/// devices that enroll and sync over HTTP exactly like the CLI does (DeviceStore + SyncClient +
/// URLSession).
final class AdminWorld: Sendable {
    let directory: URL
    let storage: TestStore
    let server: RunningServer
    let logger: Logger

    private init(directory: URL, storage: TestStore, server: RunningServer, logger: Logger) {
        self.directory = directory
        self.storage = storage
        self.server = server
        self.logger = logger
    }

    static func start(backend: StorageBackend) async throws -> AdminWorld {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-admin-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "fieldsync-admin-e2e")
        logger.logLevel = .critical
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0, databasePath: directory.appendingPathComponent("server.sqlite").path)
        let storage = try await TestStore.open(backend, sqlitePath: configuration.databasePath, logger: logger)
        let server = try await InProcessServer.start(configuration, storage: storage, logger: logger)
        return AdminWorld(directory: directory, storage: storage, server: server, logger: logger)
    }

    var baseURL: URL {
        get throws { try #require(URL(string: server.baseURL)) }
    }

    /// Creates the user if needed, then enrolls a fresh device for them.
    func device(_ user: String, role: Role = .rep, territories: [String] = ["east"]) async throws -> Device {
        let accounts = AccountService(storage: storage, logger: logger)
        let code: String
        if try await storage.user(named: user) == nil {
            code = try await accounts.createUser(name: user, role: role, territories: territories).enrollmentCode
        } else {
            code = try await accounts.issueEnrollmentCode(for: user)
        }
        let store = try DeviceStore(path: nil, schema: CRMSchema.schema, logger: logger)
        let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: try baseURL), retry: RetryPolicy(maxAttempts: 2), logger: logger)
        let response = try await client.enroll(code: code, deviceName: "\(user)'s phone", serverURL: server.baseURL)
        return Device(user: user, store: store, client: client, token: response.token)
    }

    /// A one-time sign-in code of `user` for the admin page (what `fieldsync-server user code` prints).
    func signInCode(_ user: String) async throws -> String {
        try await AccountService(storage: storage, logger: logger).issueEnrollmentCode(for: user)
    }

    func stop() async {
        try? await server.stop()
        try? await storage.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh world and stops it afterwards, also when `body` throws.
func withAdminWorld<T>(backend: StorageBackend = .sqlite, _ body: (AdminWorld) async throws -> T) async throws -> T {
    let world = try await AdminWorld.start(backend: backend)
    do {
        let result = try await body(world)
        await world.stop()
        return result
    } catch {
        await world.stop()
        throw error
    }
}

/// One enrolled device.
struct Device: Sendable {
    let user: String
    let store: DeviceStore
    let client: SyncClient
    let token: String

    @discardableResult
    func sync() async throws -> SyncSummary {
        let summary = try await client.sync()
        #expect(summary.rejected == 0, "\(user)'s sync had rejections: \(summary.rejections)")
        return summary
    }

    func edit(_ edit: LocalEdit) throws {
        try store.apply(edit)
    }

    /// The admin API as this device's user.
    var admin: AdminClient {
        get throws { try AdminClient(store: store) }
    }

    func value(_ entity: String, _ id: RecordID, _ field: String) throws -> Value? {
        try store.record(entity, id: id)?.value(field)
    }
}

/// Every device holds byte-identical state.
func expectConverged(_ devices: [Device], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let dumps = try devices.map { try $0.store.canonicalDump() }
    for (device, dump) in zip(devices.dropFirst(), dumps.dropFirst()) {
        #expect(dump == dumps[0], "\(device.user) differs from \(devices[0].user)", sourceLocation: sourceLocation)
    }
}
