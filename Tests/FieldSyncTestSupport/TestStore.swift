import CRM
import Foundation
import Logging
import SyncCore
import SyncServer

/// A storage backend the server tests run against.
public enum StorageBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { rawValue }

    /// The backends to run: SQLite always, PostgreSQL when it is installed or CI requires it
    /// (FIELDSYNC_REQUIRE_POSTGRES=1, and then a missing PostgreSQL fails the cases). When the
    /// PostgreSQL cases are left out, a note says so on stderr.
    public static let all: [StorageBackend] = {
        guard PostgresTestCluster.shouldRun else {
            FileHandle.standardError.write(Data(
                "note: PostgreSQL is not installed (\(PostgresTestCluster.binDirectory)): the PostgreSQL cases are NOT run\n".utf8
            ))
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }()
}

/// A server store on either backend, behind one type so that fixtures, services and servers
/// built over it need no generic parameter. Every storage method is the shared
/// `SQLServerStorage` code; this class only forwards the transactions.
public final class TestStore: SQLServerStorage {
    public let backend: StorageBackend
    public let base: any SQLServerStorage
    /// The PostgreSQL database, when the backend is PostgreSQL: other servers (processes) can
    /// open the same store with its URL.
    public let database: PostgresTestDatabase?

    /// The last debug events of a PostgreSQL store (its pool's connections created, leased,
    /// released and closed), printed when its pool does not stop at close.
    private let events: RecordedLog?

    private init(backend: StorageBackend, base: any SQLServerStorage, database: PostgresTestDatabase?, events: RecordedLog? = nil) {
        self.backend = backend
        self.base = base
        self.database = database
        self.events = events
    }

    /// Opens a fresh store: the SQLite file at `sqlitePath`, or a new database of the test
    /// cluster (`sqlitePath` then unused).
    public static func open(_ backend: StorageBackend, sqlitePath: String, logger: Logger) async throws -> TestStore {
        switch backend {
        case .sqlite:
            return TestStore(backend: backend, base: try SQLiteServerStorage(path: sqlitePath, logger: logger), database: nil)
        case .postgres:
            let database = try await PostgresTestCluster.shared().createDatabase()
            let events = RecordedLog(capacity: 200, level: .debug)
            let recorded = Logger(label: logger.label) { _ in MultiplexLogHandler([logger.handler, events]) }
            do {
                let storage = try await PostgresServerStorage(url: database.url, maximumConnections: 4, logger: recorded)
                return TestStore(backend: backend, base: storage, database: database, events: events)
            } catch {
                database.drop()
                throw error
            }
        }
    }

    /// Opens the same store again, as a second server would.
    public func reopen(sqlitePath: String, logger: Logger) async throws -> any SQLServerStorage {
        if let database {
            return try await PostgresServerStorage(url: database.url, maximumConnections: 4, logger: logger)
        }
        return try SQLiteServerStorage(path: sqlitePath, logger: logger)
    }

    /// The same store after a server restart: this store's connections are closed (its data,
    /// and its PostgreSQL database, stay) and a new storage opens it, as a restarted process
    /// would. Use the returned store from then on.
    public func restarted(sqlitePath: String, logger: Logger) async throws -> TestStore {
        try await base.close()
        return TestStore(backend: backend, base: try await reopen(sqlitePath: sqlitePath, logger: logger), database: database, events: events)
    }

    /// The store's last debug events (PostgreSQL only; empty for SQLite).
    public var recentEvents: String { events?.text ?? "" }

    /// The PostgreSQL URL, nil for SQLite.
    public var postgresURL: String? { database?.url }

    public var schema: Schema { base.schema }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await sayingIfSlow("a read of a \(backend) test store", describe: describeSessions) { try await base.read(body) }
    }

    /// What the store's PostgreSQL sessions are doing, for a note about a slow operation.
    private var describeSessions: (@Sendable () async -> String)? {
        guard let database else { return nil }
        return { await database.sessions() }
    }

    public var logLockStatistics: LogLockStatistics? { base.logLockStatistics }

    public var isSharedByProcesses: Bool { base.isSharedByProcesses }

    public func write<T: Sendable>(_ kind: SQLWriteKind, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await sayingIfSlow("a \(kind) write of a \(backend) test store", describe: describeSessions) { try await base.write(kind, body) }
    }

    public var commits: CommitBell { base.commits }

    public func relayNews(to bell: CommitBell) async {
        await base.relayNews(to: bell)
    }

    public func publishedLogLimit() async throws -> LogSequence? {
        try await base.publishedLogLimit()
    }

    public func reclaimLogSpace() async throws {
        try await base.reclaimLogSpace()
    }

    /// Closes the store; a PostgreSQL database is dropped.
    public func close() async throws {
        try await sayingIfSlow("closing a \(backend) test store", after: .seconds(30), describe: describeSessions) { try await base.close() }
        if (base as? PostgresServerStorage)?.poolStoppedWhenClosed == false {
            // The bounded wait of `PostgresServerStorage.close()` gave up: say so, so that a
            // run shows how often postgres-nio's pool fails to stop.
            FileHandle.standardError.write(Data(
                "note: a postgres test store's pool had not stopped \(PostgresServerStorage.poolStopPatience) after close; its sessions: \(await database?.sessions() ?? "-"); its last events:\n\(events?.text ?? "")\n".utf8
            ))
        }
        database?.drop()
    }
}
