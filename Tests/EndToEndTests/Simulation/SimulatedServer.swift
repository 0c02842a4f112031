import CRM
import FieldSyncTestSupport
import Foundation
import Logging
import SyncCore
import SyncServer

/// The simulation's server: `SyncService` over a test store (SQLite on a temporary file, or a
/// fresh database of the PostgreSQL test cluster), called directly (no sockets). A restart
/// closes the store's connections and opens it again.
final class SimulatedServer {
    let path: String
    let clock: SimulationClock
    let logger: Logger
    let configuration: ServerConfiguration
    private(set) var storage: TestStore
    private(set) var service: SyncService<TestStore>
    private(set) var accounts: AccountService<TestStore>
    private(set) var restarts = 0

    init(backend: StorageBackend, path: String, clock: SimulationClock) async throws {
        self.path = path
        self.clock = clock
        var logger = Logger(label: "fieldsync-simulation")
        logger.logLevel = .critical
        self.logger = logger
        configuration = ServerConfiguration(host: "127.0.0.1", port: 0, databasePath: path, defaultPageLimit: 40, maxPageLimit: 200)
        storage = try await TestStore.open(backend, sqlitePath: path, logger: logger)
        service = SyncService(storage: storage, schema: CRMSchema.schema, configuration: configuration, logger: logger, now: { clock.now })
        accounts = AccountService(storage: storage, logger: logger, now: { clock.now })
    }

    /// Closes the store and opens it again, as a restarted process would.
    func restart() async throws {
        storage = try await storage.restarted(sqlitePath: path, logger: logger)
        let clock = self.clock
        service = SyncService(storage: storage, schema: CRMSchema.schema, configuration: configuration, logger: logger, now: { clock.now })
        accounts = AccountService(storage: storage, logger: logger, now: { clock.now })
        restarts += 1
    }

    /// Closes the store (a PostgreSQL database is dropped).
    func close() async {
        try? await storage.close()
    }

    /// The changes the server wrote as its own replica at these log sequences.
    func loggedChanges(at sequences: [LogSequence]) async throws -> [Change] {
        var changes: [Change] = []
        for sequence in sequences {
            let page = try await storage.logPage(after: sequence - 1, limit: 1, maxBytes: 1 << 30, scope: .everything)
            changes += try page.entries.filter { $0.sequence == sequence }.map { try $0.decoded().change }
        }
        return changes
    }
}
