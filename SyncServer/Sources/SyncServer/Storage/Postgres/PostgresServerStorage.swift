import CRM
import Logging
import PostgresNIO
import SyncCore
import Synchronization

/// The sync server's store on PostgreSQL, for several `fieldsync-server` processes sharing one
/// database behind a load balancer.
///
/// Every storage method is the shared `SQLServerStorage` code; this class only runs its
/// transactions. Writes run at READ COMMITTED; those that append to the change log first take
/// one transaction-scoped advisory lock, so they commit one after the other in sequence order
/// (no device can read a sequence while a lower one is still uncommitted), and writes of a
/// device's own row or of bookkeeping (`SQLWriteKind`) do not wait for it; reads run at
/// REPEATABLE READ so a page, its high-water mark and the records' current places come from one
/// snapshot. SyncServer/README.md, "PostgreSQL", explains why this leaves no gap a device could
/// skip past.
public final class PostgresServerStorage: SQLServerStorage {
    public let schema: Schema
    let logger: Logger
    private let client: PostgresClient
    /// Runs the client (`PostgresClient` is a `Service`: its `run()` keeps the pool's
    /// connections until cancelled) for as long as the store is open.
    private let clientTask: Task<Void, Never>
    private let isClosed = Mutex(false)
    /// Every write transaction is counted here (`logLockStatistics`).
    private let lockStatistics = Mutex(LogLockStatistics())

    /// The key of the advisory lock every write transaction holds until it ends.
    static let logLockKey: Int64 = 0x6669_656C_6473_796E  // "fieldsyn"

    /// Connects to `url` (`postgres://user:password@host:port/database`), creating or
    /// migrating the schema, and the server's identity on first use.
    public init(url: String, schema: Schema = CRMSchema.schema, maximumConnections: Int = 8, logger: Logger) async throws {
        var configuration = try PostgresURL.configuration(from: url)
        configuration.options.maximumConnections = maximumConnections
        // A push the server acknowledges is dropped from the device's outbox: its commit must
        // be on disk before the answer leaves, whatever the cluster's default says.
        configuration.options.additionalStartupParameters.append(("synchronous_commit", "on"))
        // Writes rely on READ COMMITTED (see `write`): `withTransaction`'s plain BEGIN gets it
        // whatever the cluster's default is.
        configuration.options.additionalStartupParameters.append(("default_transaction_isolation", "read committed"))
        self.schema = schema
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.clientTask = Task { await client.run() }
        do {
            try await migrate()
        } catch {
            try? await close()
            throw error
        }
        logger.debug("opened PostgreSQL server store", metadata: ["url": "\(PostgresURL.redacted(url))"])
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(.repeatableReadOnly, lock: .notCounted, body)
    }

    /// A `.log` write takes the log's lock; `.bookkeeping` also skips waiting for the disk at
    /// commit (losing the last of it in a crash costs nothing).
    public func write<T: Sendable>(_ kind: SQLWriteKind, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch kind {
        case .log:
            try await transaction(.readCommitted, lock: .taken, body)
        case .device:
            try await transaction(.readCommitted, lock: .skipped, body)
        case .bookkeeping:
            try await transaction(.readCommitted, lock: .skipped) { db in
                try await db.execute(sql: "SET LOCAL synchronous_commit = off")
                return try await body(db)
            }
        }
    }

    public var logLockStatistics: LogLockStatistics? {
        lockStatistics.withLock { $0 }
    }

    /// Several servers behind a load balancer share one PostgreSQL database.
    public var isSharedByProcesses: Bool { true }

    /// The isolation level of a transaction.
    enum Isolation {
        /// Writes: every statement sees what was committed before it started.
        case readCommitted
        /// Reads: one snapshot for the whole transaction, which writes nothing.
        case repeatableReadOnly
    }

    /// Runs `body` in one transaction (postgres-nio's `withTransaction`: BEGIN, the body,
    /// COMMIT, or ROLLBACK when it throws) on one pooled connection, on the caller's task.
    ///
    /// A `.log` write takes the log lock as its first statement: at READ COMMITTED every later
    /// statement reads what was committed before the lock was granted, including the previous
    /// writer's log entries.
    func transaction<T: Sendable>(
        _ isolation: Isolation, lock: LogLockUse, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        // Set once the lock is granted: the hold time runs until COMMIT or ROLLBACK ends.
        let granted = Mutex<(at: ContinuousClock.Instant, wait: Duration)?>(nil)
        defer { if lock != .notCounted { recordLockUse(granted.withLock { $0 }) } }
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let db = PostgresSQLDatabase(connection: connection, logger: logger)
                if isolation == .repeatableReadOnly {
                    try await db.execute(sql: "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                }
                if lock == .taken {
                    let asked = ContinuousClock.now
                    try await db.execute(sql: "SELECT pg_advisory_xact_lock(?)", arguments: [Self.logLockKey])
                    let now = ContinuousClock.now
                    granted.withLock { $0 = (now, now - asked) }
                }
                return try await body(db)
            }
        } catch let error as PostgresTransactionError {
            throw Self.cause(of: error)
        } catch let error as PSQLError {
            // Connection failures surface here, outside the adapter.
            throw PostgresFailure(error)
        }
    }

    /// What made a transaction fail: the body's own error (a `ServerError` keeps its code),
    /// else the failed BEGIN or COMMIT.
    static func cause(of error: PostgresTransactionError) -> any Error {
        let cause = error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error
        if let failure = cause as? PSQLError { return PostgresFailure(failure) }
        return cause
    }

    /// Whether a transaction takes the log's lock, and whether it counts in `logLockStatistics`.
    enum LogLockUse {
        /// A write that appends to the log.
        case taken
        /// A write that does not.
        case skipped
        /// A read, or a migration (which has a lock of its own).
        case notCounted
    }

    /// Counts one finished write transaction (reads are not counted).
    private func recordLockUse(_ granted: (at: ContinuousClock.Instant, wait: Duration)?) {
        let end = ContinuousClock.now
        lockStatistics.withLock { statistics in
            if let granted {
                statistics.recordLocked(wait: granted.wait, hold: end - granted.at)
            } else {
                statistics.unlockedTransactions += 1
            }
        }
    }

    /// `VACUUM change_log` on its own connection, outside any transaction (PostgreSQL refuses it
    /// inside one). A plain VACUUM makes the dead rows' space reusable without locking out
    /// readers and writers; it does not shrink the table file (that would take `VACUUM FULL`,
    /// which locks the log for its whole run). Autovacuum would reclaim the space later anyway.
    public func reclaimLogSpace() async throws {
        let logger = self.logger
        do {
            try await client.withConnection { connection in
                try await PostgresSQLDatabase(connection: connection, logger: logger).execute(sql: "VACUUM change_log")
            }
        } catch let error as PSQLError {
            throw PostgresFailure(error)
        }
    }

    /// Closes the connections; later calls fail. Closing twice is harmless.
    public func close() async throws {
        guard isClosed.withLock({ closed in defer { closed = true }; return !closed }) else { return }
        clientTask.cancel()
        await clientTask.value
    }
}
