import CRM
import FieldSyncTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SyncCore
import Testing

@testable import SyncServer

/// A server store in a fresh temporary directory (SQLite) or a fresh database of the test
/// cluster (PostgreSQL), with helpers to enroll devices and to dump state. Every test makes
/// its own; `withFixture` removes it afterwards.
final class ServerFixture: Sendable {
    let directory: URL
    let storage: TestStore
    let configuration: ServerConfiguration
    let logger: Logger

    init(backend: StorageBackend = .sqlite, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-server-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, databasePath: directory.appendingPathComponent("server.sqlite").path)
        configure(&configuration)
        var logger = Logger(label: "fieldsync-server-tests")
        logger.logLevel = .critical
        self.logger = logger
        storage = try await TestStore.open(backend, sqlitePath: configuration.databasePath, logger: logger)
        configuration.postgresURL = storage.postgresURL
        self.configuration = configuration
    }

    var accounts: AccountService<TestStore> { AccountService(storage: storage, logger: logger) }

    func syncService(now: @escaping @Sendable () -> Int64 = { ServerClock.millisecondsSince1970() }) -> SyncService<TestStore> {
        SyncService(storage: storage, schema: CRMSchema.schema, configuration: configuration, logger: logger, now: now)
    }

    func app() async throws -> some ApplicationProtocol {
        try Self.routerApplication(configuration, storage: storage, logger: logger)
    }

    /// The application `app.test(.router)` drives: the router alone, without the application's
    /// services (the log compactor, `LiveNews`). With services, HummingbirdTesting's router
    /// framework runs them per test in a `ServiceGroup` of its own that traps SIGTERM and SIGINT,
    /// and waits for it to start with no time limit; full runs hung three times in such tests,
    /// idle at 0% CPU with no timer pending, and that start is the suspected cause. The services
    /// run in the real servers of `InProcessServer` and of the executable's tests.
    static func routerApplication(
        _ configuration: ServerConfiguration, storage: some ServerStorage, logger: Logger, guards: RequestGuards? = nil
    ) throws -> some ApplicationProtocol {
        try configuration.validate()
        let router = buildRouter(
            configuration, storage: storage, logger: logger, guards: guards ?? RequestGuards(configuration, storage: storage)
        )
        return Application(router: router, logger: logger)
    }

    /// Creates a user and enrolls one device for them.
    func enroll(_ name: String, role: Role = .rep, territories: [String] = ["east"]) async throws -> TestReplica {
        let code: String
        if try await storage.user(named: name) == nil {
            code = try await accounts.createUser(name: name, role: role, territories: territories).enrollmentCode
        } else {
            code = try await accounts.issueEnrollmentCode(for: name)
        }
        let replica = ReplicaID()
        let response = try await accounts.enroll(EnrollRequest(code: code, replica: replica, deviceName: "\(name)'s phone"))
        return TestReplica(replica: replica, token: response.token)
    }

    /// The device account behind a test replica, as the routes would authenticate it.
    func device(_ replica: TestReplica) async throws -> DeviceAccount {
        try await accounts.authenticate(authorization: "Bearer \(replica.token)")
    }

    /// Everything a bad request must leave alone.
    struct Dump: Equatable {
        var logCount: Int
        var records: [RecordState]
        var conflicts: [ConflictEntry]
    }

    func dump() async throws -> Dump {
        Dump(logCount: try await storage.logCount(), records: try await storage.records(), conflicts: try await storage.conflicts(openOnly: false))
    }

    func tearDown() async {
        try? await storage.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` with a fresh fixture and removes it afterwards, also when `body` throws.
func withFixture<T>(
    backend: StorageBackend = .sqlite,
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (ServerFixture) async throws -> T
) async throws -> T {
    let fixture = try await ServerFixture(backend: backend, configure: configure)
    do {
        let result = try await body(fixture)
        await fixture.tearDown()
        return result
    } catch {
        await fixture.tearDown()
        throw error
    }
}

func nowMilliseconds() -> Int64 { ServerClock.millisecondsSince1970() }

/// A lowercase UUID record id.
func newRecordID() -> RecordID { UUID().uuidString.lowercased() }
