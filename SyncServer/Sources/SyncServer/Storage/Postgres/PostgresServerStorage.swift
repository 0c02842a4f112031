import CRM
import Logging
import PostgresNIO
import SyncCore
import Synchronization

/// The sync server's store on PostgreSQL, for several `fieldsync-server` processes sharing one
/// database behind a load balancer.
///
/// Every storage method is the shared `SQLServerStorage` code; this class only runs its
/// transactions. Writes run at READ COMMITTED. A push (`SQLWriteKind.append`) takes the log's
/// advisory lock in shared mode, so pushes run side by side, serialised only where they touch
/// the same records or duplicate keys (their own advisory locks) and for the instant they raise
/// the server's clock before COMMIT; writes that must keep every append out while they run
/// (`.log`: server writes, admin actions, accounts, compaction) take it exclusively. Every
/// transaction that may append marks the lowest sequence it can still commit with an advisory
/// lock, and readers stop below the lowest mark (`publishedLogLimit`), so no device can read a
/// sequence while a lower one is still uncommitted. Reads run at REPEATABLE READ so a page, its
/// high-water mark and the records' current places come from one snapshot. SyncServer/README.md,
/// "PostgreSQL", explains why this leaves no gap a device could skip past.
public final class PostgresServerStorage: SQLServerStorage {
    public let schema: Schema
    let logger: Logger
    private let client: PostgresClient
    /// Runs the client (`PostgresClient` is a `Service`: its `run()` keeps the pool's
    /// connections until cancelled) for as long as the store is open, detached from the task
    /// that opened it.
    private let clientTask: Task<Void, Never>
    private let isClosed = Mutex(false)
    public let commits = CommitBell()
    /// Tells the other servers on this database of this one's commits, and listens for theirs.
    private let relay: PostgresNewsRelay
    /// The configuration of the relay's own `LISTEN` connection.
    private let listenConfiguration: PostgresConnection.Configuration
    /// Every statement sent, each one round trip (`statementsSent`).
    private let statements = StatementCounter()
    /// Every write transaction is counted here (`logLockStatistics`).
    private let lockStatistics = Mutex(LogLockStatistics())

    /// The key of the log's advisory lock: shared by pushes, exclusive for writes that keep
    /// every append out while they run.
    static let logLockKey: Int64 = 0x6669_656C_6473_796E  // "fieldsyn"

    /// Runs, in tests, between the last statement of a transaction that may append to the log
    /// and its COMMIT (to widen the window in which sequences are assigned but not committed).
    private let beforeCommit: (@Sendable () async throws -> Void)?

    /// How many times a transaction is run again when PostgreSQL aborts it for a deadlock
    /// between pushes' record locks, or two servers admit the same dot at once.
    static let attempts = 4

    /// Connects to `url` (`postgres://user:password@host:port/database`), creating or
    /// migrating the schema, and the server's identity on first use.
    public init(
        url: String, schema: Schema = CRMSchema.schema, maximumConnections: Int = 8, logger: Logger,
        beforeCommit: (@Sendable () async throws -> Void)? = nil
    ) async throws {
        var configuration = try PostgresURL.configuration(from: url)
        configuration.options.maximumConnections = maximumConnections
        // A push the server acknowledges is dropped from the device's outbox: its commit must
        // be on disk before the answer leaves, whatever the cluster's default says.
        configuration.options.additionalStartupParameters.append(("synchronous_commit", "on"))
        // Writes rely on READ COMMITTED (see `write`): `withTransaction`'s plain BEGIN gets it
        // whatever the cluster's default is.
        configuration.options.additionalStartupParameters.append(("default_transaction_isolation", "read committed"))
        self.listenConfiguration = try PostgresURL.connectionConfiguration(from: url)
        self.schema = schema
        self.logger = logger
        self.beforeCommit = beforeCommit
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        // Detached: postgres-nio's `run()` cancels itself on the graceful shutdown of the
        // service group whose task-locals it inherits, and a store opened inside one (a test's
        // server, a request) would then leave its pool without connections, every later query
        // waiting for good. The client runs until `close()`, whoever opened the store.
        self.clientTask = Task.detached { await client.run() }
        self.relay = PostgresNewsRelay(client: client, logger: logger)
        do {
            try await migrate()
        } catch {
            try? await close()
            throw error
        }
        logger.debug("opened PostgreSQL server store", metadata: ["url": "\(PostgresURL.redacted(url))"])
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await transaction(.repeatableReadOnly, lock: .notCounted) { db in try await body(db) }
    }

    /// A push (`.append`) takes the log's lock shared, a `.log` write exclusively, and both
    /// mark their lowest sequence; `.bookkeeping` also skips waiting for the disk at commit
    /// (losing the last of it in a crash costs nothing).
    public func write<T: Sendable>(_ kind: SQLWriteKind, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await transaction(kind, body)
        if kind.mayAppend {
            commits.ring()
            relay.announce()
        }
        return result
    }

    public func relayNews(to bell: CommitBell) async {
        await relay.listen(listenConfiguration, ringing: bell)
    }

    private func transaction<T: Sendable>(_ kind: SQLWriteKind, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch kind {
        case .append:
            try await transaction(.readCommitted, lock: .shared) { db in try await body(db) }
        case .log:
            try await transaction(.readCommitted, lock: .exclusive) { db in try await body(db) }
        case .device:
            try await transaction(.readCommitted, lock: .skipped) { db in try await body(db) }
        case .bookkeeping:
            try await transaction(.readCommitted, lock: .skipped) { db in
                try await db.command(.asynchronousCommit)
                return try await body(db)
            }
        }
    }

    /// The highest sequence a read may publish: one below the lowest sequence a transaction
    /// still in progress may commit (see `PostgresSQL.logLimit`). Read before the reader's
    /// snapshot is taken, so every change at or below it that will ever commit is in that
    /// snapshot.
    public func publishedLogLimit() async throws -> LogSequence? {
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                let db = PostgresSQLDatabase(connection: connection, logger: logger)
                guard let limit = try await LogSequence.fetchOne(db, sql: PostgresSQL.logLimit, arguments: [Self.logMarkBase]) else {
                    throw ServerError(.internalError, .logLimitUnreadable)
                }
                return limit
            }
        } catch let error as PSQLError {
            throw PostgresFailure(error)
        }
    }

    /// Advisory keys from here up mark the transactions that may append to the log: each holds
    /// `logMarkBase + s` until it ends, where `s` is at most the lowest sequence it can be given.
    static let logMarkBase: Int64 = 0x4D41_524B_0000_0000  // "MARK"

    /// How many statements this store has sent to PostgreSQL in its transactions (BEGIN and
    /// COMMIT not included), each one round trip.
    var statementsSent: Int {
        statements.count.load(ordering: .relaxed)
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
    /// COMMIT, or ROLLBACK when it throws) on one pooled connection, on the caller's task; runs
    /// it again, up to `attempts` times in all, when PostgreSQL aborted it for a deadlock or a
    /// serialization failure, or two servers inserted the same dot at once (the retry then finds
    /// it logged: a duplicate).
    ///
    /// A write that may append to the log first takes the log's lock (shared or exclusive) and
    /// its mark, in one statement: the mark is the sequence the log's identity would hand out
    /// next, so every sequence this transaction is given is at or above it, and it is held until
    /// COMMIT or ROLLBACK ends.
    func transaction<T: Sendable>(
        _ isolation: Isolation, lock: LogLockUse, _ body: @escaping @Sendable (PostgresSQLDatabase) async throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await attemptTransaction(isolation, lock: lock, body)
            } catch let failure as PostgresFailure where attempt < Self.attempts && Self.isTransient(failure) {
                logger.debug("transaction aborted, running it again", metadata: ["error": "\(failure)", "attempt": "\(attempt)"])
                attempt += 1
            }
        }
    }

    /// A deadlock (40P01) or serialization failure (40001) aborts one of the transactions
    /// involved; a unique violation (23505) of the log's dot is two servers logging the same
    /// dot at once.
    static func isTransient(_ failure: PostgresFailure) -> Bool {
        switch failure.code {
        case "40P01", "40001": true
        case "23505": failure.constraint == "change_log_replica_counter_key"
        default: false
        }
    }

    private func attemptTransaction<T: Sendable>(
        _ isolation: Isolation, lock: LogLockUse, _ body: @escaping @Sendable (PostgresSQLDatabase) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        let beforeCommit = self.beforeCommit
        // Set once the lock is granted: the hold time runs until COMMIT or ROLLBACK ends.
        let granted = Mutex<LockGrant?>(nil)
        defer { if lock != .notCounted { recordLockUse(lock, granted.withLock { $0 }) } }
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let db = PostgresSQLDatabase(connection: connection, logger: logger, statements: statements)
                if isolation == .repeatableReadOnly {
                    try await db.command(.repeatableReadOnly)
                }
                if lock == .shared || lock == .exclusive {
                    let asked = ContinuousClock.now
                    try await db.execute(sql: lock == .shared ? PostgresSQL.sharedLogLock : PostgresSQL.exclusiveLogLock, arguments: [Self.logLockKey, Self.logMarkBase])
                    let now = ContinuousClock.now
                    granted.withLock { $0 = LockGrant(at: now, wait: now - asked, database: db) }
                }
                let result = try await body(db)
                if lock == .shared || lock == .exclusive, let beforeCommit { try await beforeCommit() }
                return result
            }
        } catch let error as PostgresTransactionError {
            throw Self.cause(of: error)
        } catch let error as PSQLError {
            // Connection failures surface here, outside the adapter.
            throw PostgresFailure(error)
        }
    }

    /// When a transaction got the log's lock, how long it waited, and its database (which
    /// knows when a push entered its commit-ordered tail).
    struct LockGrant: @unchecked Sendable {
        // @unchecked: `database` is read only after the transaction's body returned, on the
        // task that ran it.
        var at: ContinuousClock.Instant
        var wait: Duration
        var database: PostgresSQLDatabase
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
        /// A push: the lock shared, and a mark.
        case shared
        /// A write that keeps appends out while it runs: the lock exclusive, and a mark.
        case exclusive
        /// A write that appends nothing.
        case skipped
        /// A read, or a migration (which has a lock of its own).
        case notCounted
    }

    /// Counts one finished write transaction (reads are not counted). An exclusive holder holds
    /// the log for every writer from its grant to its end; a push holds nothing others wait for
    /// but the server clock's row, from its commit-ordered tail (`enterCommitOrder`) to its end.
    private func recordLockUse(_ lock: LogLockUse, _ granted: LockGrant?) {
        let end = ContinuousClock.now
        lockStatistics.withLock { statistics in
            guard let granted else {
                statistics.unlockedTransactions += 1
                return
            }
            let heldSince = lock == .exclusive ? granted.at : (granted.database.commitOrderSince ?? end)
            statistics.recordLocked(wait: granted.wait, hold: end - heldSince)
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
                try await PostgresSQLDatabase(connection: connection, logger: logger).command(.vacuumLog)
            }
        } catch let error as PSQLError {
            throw PostgresFailure(error)
        }
    }

    /// Closes the connections; later calls fail. Closing twice is harmless.
    ///
    /// Cancelling the client's task shuts the pool down at once: it fails the requests still
    /// waiting and closes every connection. `close()` then waits for the pool's `run()` to
    /// return, at most `poolStopPatience`: postgres-nio 1.33.2's pool has been seen to keep its
    /// `run()` going for good after every connection was closed (a test store whose database
    /// showed no session left and whose `close()` never returned, SyncServer/README.md,
    /// "PostgreSQL"), and a store that cannot say it stopped must not keep its caller (a
    /// server's shutdown) waiting for ever. Past the patience it logs a warning and returns;
    /// the task left behind holds no connection.
    public func close() async throws {
        guard isClosed.withLock({ closed in defer { closed = true }; return !closed }) else { return }
        await relay.stop()
        clientTask.cancel()
        let stopped = await Self.ended(clientTask, within: Self.poolStopPatience)
        poolStopped.withLock { $0 = stopped }
        if !stopped {
            logger.warning("the PostgreSQL connection pool had not stopped \(Self.poolStopPatience) after it was closed; not waiting for it any longer")
        }
    }

    /// Whether the pool had stopped when `close()` returned; nil before `close()`.
    public var poolStoppedWhenClosed: Bool? { poolStopped.withLock { $0 } }
    private let poolStopped = Mutex<Bool?>(nil)

    /// How long `close()` waits for the pool to stop.
    public static let poolStopPatience = Duration.seconds(10)

    /// Whether `task` ends within `patience`. Awaiting a task's value cannot be cancelled, so the
    /// wait runs in a task of its own, which is left behind (it ends with `task`) when the
    /// patience runs out first.
    static func ended(_ task: Task<Void, Never>, within patience: Duration) async -> Bool {
        let answer = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let answerOnce: @Sendable (Bool) -> Void = { ended in answer.withLock { $0.take() }?.resume(returning: ended) }
        return await withCheckedContinuation { continuation in
            answer.withLock { $0 = continuation }
            Task {
                await task.value
                answerOnce(true)
            }
            Task {
                try? await Task.sleep(for: patience)
                answerOnce(false)
            }
        }
    }
}

/// The statements only the PostgreSQL backend runs: the log's lock and marks, the published
/// limit, and the migrations' bookkeeping.
enum PostgresSQL: SQLCatalog {
    case sharedLogLock, exclusiveLogLock, logLimit, migrationLock, appliedMigrations, noteMigration, createMeta

    var statement: SQLStatement {
        let text = switch self {
        case .sharedLogLock: Self.sharedLogLockSQL
        case .exclusiveLogLock: Self.exclusiveLogLockSQL
        case .logLimit: Self.logLimitSQL
        case .migrationLock: "SELECT pg_advisory_xact_lock($1)"
        case .appliedMigrations: "SELECT name FROM fieldsync_migrations"
        case .noteMigration: "INSERT INTO fieldsync_migrations (name, applied_at) VALUES ($1, $2)"
        case .createMeta:
            """
            INSERT INTO server_meta (id, replica, dot_counter, hlc_physical, hlc_logical, created_at)
            VALUES (1, $1, 0, 0, 0, $2)
            ON CONFLICT DO NOTHING
            """
        }
        return SQLStatement(sqlite: nil, postgres: text)
    }

    /// A push's first statement: the log's lock shared ($1), and the transaction's mark: $2,
    /// the marks' base, plus the sequence the log's identity hands out next, as it reads now
    /// (sequences are not transactional: a value given to a transaction still in progress
    /// counts). Every sequence the transaction is given later is at or above its mark, which it
    /// holds until it ends.
    private static let sharedLogLockSQL = """
        SELECT pg_advisory_xact_lock_shared($1),
            pg_advisory_xact_lock($2 + COALESCE(pg_sequence_last_value(pg_get_serial_sequence('change_log', 'seq')::regclass), 0) + 1)
        """

    /// The same for a write that keeps every append out while it runs: the lock exclusive.
    private static let exclusiveLogLockSQL = """
        SELECT pg_advisory_xact_lock($1),
            pg_advisory_xact_lock($2 + COALESCE(pg_sequence_last_value(pg_get_serial_sequence('change_log', 'seq')::regclass), 0) + 1)
        """

    /// The highest sequence a reader may publish ($1: the marks' base): one below the least of
    /// the next sequence and the lowest mark held in this database. The next sequence is read
    /// first (the subquery `n`, kept apart by `OFFSET 0`; the marks are a correlated subplan run
    /// after it), so a sequence below the limit was handed out before the marks were read, and
    /// its transaction either held its mark then (and the mark, at most its sequence, bounds
    /// the limit) or had ended — committed and visible to any later snapshot, since PostgreSQL
    /// makes a commit visible before it releases the transaction's locks, or rolled back.
    private static let logLimitSQL = """
        SELECT LEAST(n.next, (
            SELECT MIN(((l.classid::bigint << 32) | l.objid::bigint) - $1) FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.database = n.db
                AND l.classid::bigint >= ($1 >> 32) AND l.classid::bigint < ($1 >> 32) + 65536
        )) - 1 AS published
        FROM (SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('change_log', 'seq')::regclass), 0) + 1 AS next,
                     (SELECT oid FROM pg_database WHERE datname = current_database()) AS db
              OFFSET 0) AS n
        """
}
