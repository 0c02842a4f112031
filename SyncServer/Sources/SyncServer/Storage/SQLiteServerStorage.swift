import Foundation
import GRDB
import GRDBSQLite
import Logging
import SQLiteDirect
import Synchronization
import CRM
import SyncCore

/// The embedded default store of the sync server: SQLite in WAL mode through a GRDB
/// `DatabasePool`, so syncs read concurrently while one writer applies pushes.
public final class SQLiteServerStorage: SQLServerStorage {
    let pool: DatabasePool
    /// Every transactional write goes through it: concurrent writes share one commit.
    let groupCommit: SQLiteGroupCommit
    public let schema: Schema
    let logger: Logger
    private let isClosed = Mutex(false)
    public let commits = CommitBell()

    /// Opens (creating and migrating if needed) the store at `path`.
    public init(path: String, schema: Schema = CRMSchema.schema, logger: Logger) throws {
        var configuration = Configuration()
        configuration.label = "fieldsync-server"
        // The CLI (user add, import) may write while a server runs on the same file.
        configuration.busyMode = .timeout(10)
        // 32 MiB of page cache per connection (SQLite's default is 2 MiB): a push touches the
        // record, log, reference and duplicate-key b-trees, and with the default cache most of
        // those pages came back through pread on every request. Reads go through a memory map
        // of up to 1 GiB of the file rather than a pread per page (copying pages into the
        // cache was a quarter of the server's work on a bootstrap's pages).
        //
        // Temporary storage stays in memory: group commit runs each write in a savepoint, and
        // SQLite copies every page a savepoint changes into a sub-journal first, which spills
        // into a temporary file past 64 KiB. On disk that was 4 of every 7 `pwrite`s of a
        // push (two per page: its number, then the page), more than the WAL's own.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA cache_size = -32768; PRAGMA mmap_size = 1073741824; PRAGMA temp_store = MEMORY")
        }
        self.pool = try DatabasePool(path: path, configuration: configuration)
        // A push the server acknowledges is dropped from the device's outbox, so each commit
        // is on disk before the answer leaves: FULL syncs the WAL at every commit. GRDB sets
        // NORMAL (durable only up to the last checkpoint) when it opens a pool in WAL mode,
        // after `prepareDatabase`, so it is set here on the pool's one writer connection.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        self.groupCommit = SQLiteGroupCommit(pool: pool)
        self.schema = schema
        self.logger = logger
        try Self.refuseDeviceStore(pool, path: path)
        try Self.migrator.migrate(pool)
        try pool.write { db in
            try SynchronousBody.run(GRDBDatabase(db)) { db in try await Self.backfillDerivedIndexes(db, schema: schema) }
        }
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO server_meta (id, replica, dot_counter, hlc_physical, hlc_logical, created_at)
                    VALUES (1, ?, 0, 0, 0, ?)
                    """,
                arguments: [ReplicaID().rawValue, ServerClock.millisecondsSince1970()]
            )
        }
        logger.debug("opened server store", metadata: ["path": "\(path)"])
    }

    /// A device store (made by `fieldsync`) is not a server store: said in one line, instead of
    /// the migrations failing on its tables with SQL errors.
    static func refuseDeviceStore(_ pool: DatabasePool, path: String) throws {
        let tables = try pool.read { db in try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")) }
        guard tables.contains("replica_clock"), !tables.contains("server_meta") else { return }
        throw ServerError(.invalidRequest, .deviceStoreNotServerStore, ["path": path])
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await pool.read { db in try SynchronousBody.run(GRDBDatabase(db), body) }
    }

    /// SQLite has one writer at a time, so log appends are serialised by the database itself
    /// and every kind of write is the same; writes that wait for the writer commit together
    /// (`SQLiteGroupCommit`), each atomic on its own.
    public func write<T: Sendable>(_ kind: SQLWriteKind, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await groupCommit.write { db in try SynchronousBody.run(GRDBDatabase(db), body) }
        if kind.mayAppend { commits.ring() }
        return result
    }

    /// One process owns an SQLite store: no other server commits to it (the CLI's imports,
    /// run beside a server, reach watching devices at their next poll).
    public func relayNews(to bell: CommitBell) async {}

    /// One writer commits sequences in the order it assigns them: a read may publish them all.
    public func publishedLogLimit() async throws -> LogSequence? { nil }

    /// One process owns an SQLite store (the CLI's short writes aside).
    public var isSharedByProcesses: Bool { false }

    /// VACUUM rewrites the file without the free pages the deletions left; it cannot run inside
    /// a transaction. The WAL is then folded back so the file size is true.
    public func reclaimLogSpace() async throws {
        try await pool.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM")
            _ = try db.checkpoint(.truncate)
        }
    }

    /// Closes the store. Closing twice is harmless; other calls after closing fail.
    public func close() async throws {
        guard isClosed.withLock({ closed in defer { closed = true }; return !closed }) else { return }
        // GRDB closes the writer before the readers, so SQLite cannot fold the WAL back on
        // close; checkpoint first so the main file holds everything and the WAL is empty.
        try await pool.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
        // `DatabasePool.close` blocks until every read in flight has returned its connection,
        // and an async read returns it on a thread of the concurrency pool. Blocking that pool
        // (2 threads on 2 cores) deadlocks as soon as two stores close while one of them still
        // reads (seen in a CI run: two closes waiting, a read-ahead's read unable to finish),
        // so the wait runs on a thread of its own.
        let pool = pool
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try pool.close() })
            }
        }
    }
}

/// GRDB's `Database` as the `SQLDatabase` the shared storage code runs on. Statements are
/// cached per connection: the storage runs a small fixed set of them over and over. Its methods
/// are synchronous (they satisfy the protocol's async requirements without suspending), which
/// is what lets `SynchronousBody` run a body inside GRDB's closure.
///
/// The statements' `$N` placeholders are named parameters to SQLite (it numbers them in order
/// of first appearance, not by N), so `$N` takes the Nth value.
///
/// Inside a transaction (every body the storage runs), a cached statement is bound and stepped
/// through SQLite's C interface (`DirectStatement`): GRDB's arguments by name, its cursor and
/// its rows cost two thirds of what SQLite's own work did on a push (a fifth of the write
/// transaction's time; Benchmarks/README.md, "Statements through SQLite's interface"). When
/// SQLite reports an error, or outside a transaction, the statement runs again through GRDB
/// (unless the error ended the transaction: see `DirectStatement.run`).
struct GRDBDatabase: SQLDatabase {
    let db: Database

    init(_ db: Database) {
        self.db = db
    }

    var changesCount: Int { db.changesCount }

    var dialect: SQLDialect { .sqlite }

    func fetchRows(_ statement: SQLStatement, values: [SQLValue]) throws -> [SQLRow] {
        let prepared = try db.cachedStatement(sql: statement.text(for: .sqlite))
        if let rows = try Self.stepDirectly(prepared, db, values, readingRows: true) {
            return rows
        }
        return try fetchRowsThroughGRDB(prepared, values)
    }

    func executeStatement(_ statement: SQLStatement, values: [SQLValue]) throws {
        let prepared = try db.cachedStatement(sql: statement.text(for: .sqlite))
        if try Self.stepDirectly(prepared, db, values, readingRows: false) != nil { return }
        try prepared.execute(arguments: Self.arguments(values))
    }

    /// Binds `values` and steps the statement to its end through SQLite's C interface; the rows
    /// when `readingRows`. Nil, with nothing changed, when GRDB should run it instead
    /// (`DirectStatement.run`), or when the values do not match the placeholders one to one.
    private static func stepDirectly(_ prepared: Statement, _ db: Database, _ values: [SQLValue], readingRows: Bool) throws -> [SQLRow]? {
        var rows: [SQLRow] = []
        var columns: SQLColumns?
        let direct = try DirectStatement.run(prepared, in: db, bind: { bind(values, to: $0) }) { compiled in
            if readingRows { rows.append(try row(of: compiled, columns: &columns)) }
        }
        return direct ? rows : nil
    }

    /// Binds each placeholder `$N` to the Nth value, as GRDB binds it; false when some value has
    /// no placeholder or some placeholder no value.
    private static func bind(_ values: [SQLValue], to compiled: OpaquePointer) -> Bool {
        let parameters = Int(sqlite3_bind_parameter_count(compiled))
        guard parameters <= values.count, values.count < Int.bitWidth else { return false }
        var used = 0
        for parameter in stride(from: 1, through: parameters, by: 1) {
            guard let index = valueIndex(sqlite3_bind_parameter_name(compiled, CInt(parameter))), index < values.count, used & (1 << index) == 0 else { return false }
            used |= 1 << index
            // GRDB's binding of each value (`StatementBinding`): a text up to its end or a NUL
            // (the server refuses control characters before they reach a statement).
            let code: CInt = switch values[index] {
            case .null: DatabaseValue.null.bind(to: compiled, at: CInt(parameter))
            case .integer(let integer): integer.bind(to: compiled, at: CInt(parameter))
            case .text(let text): text.bind(to: compiled, at: CInt(parameter))
            }
            guard code == SQLITE_OK else { return false }
        }
        return used == (1 << values.count) - 1
    }

    /// N, less one, of a placeholder named `$N`.
    private static func valueIndex(_ name: UnsafePointer<CChar>?) -> Int? {
        guard var cursor = name, cursor.pointee == UInt8(ascii: "$") else { return nil }
        cursor += 1
        var number = 0
        while cursor.pointee != 0 {
            let digit = Int(cursor.pointee) - Int(UInt8(ascii: "0"))
            guard (0...9).contains(digit), number < 1_000 else { return nil }
            number = number * 10 + digit
            cursor += 1
        }
        return number >= 1 ? number - 1 : nil
    }

    private static func value(_ compiled: OpaquePointer, _ index: CInt) throws -> SQLValue {
        switch sqlite3_column_type(compiled, index) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(compiled, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(compiled, index) else { return .text("") }
            let length = Int(sqlite3_column_bytes(compiled, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: length), as: UTF8.self))
        default:
            throw ServerError(.internalError, .unexpectedStoredType)
        }
    }

    /// The statement through GRDB's cursor. Names and values are read from SQLite after each
    /// step, not through GRDB's rows: SQLite compiles a statement again when the schema changed
    /// since it was prepared (another connection migrated the store, e.g. rebuilt a table in
    /// another column order), and GRDB keeps the names and the column count a statement had
    /// before (its cached names, its cursor's row).
    private func fetchRowsThroughGRDB(_ prepared: Statement, _ values: [SQLValue]) throws -> [SQLRow] {
        let cursor = try Row.fetchCursor(prepared, arguments: Self.arguments(values))
        var rows: [SQLRow] = []
        var columns: SQLColumns?
        while try cursor.next() != nil {
            rows.append(try Self.row(of: prepared.sqliteStatement, columns: &columns))
        }
        return rows
    }

    /// The row `compiled` stands on. The names are read at the first row, when the statement
    /// runs as it was last compiled (SQLite compiles it again when the schema changed since),
    /// and shared by the rows after it.
    private static func row(of compiled: OpaquePointer, columns: inout SQLColumns?) throws -> SQLRow {
        let count = sqlite3_column_count(compiled)
        let names = columns ?? SQLColumns(names: (0..<count).map { String(cString: sqlite3_column_name(compiled, $0)) })
        columns = names
        var values: [SQLValue] = []
        values.reserveCapacity(Int(count))
        for index in 0..<count {
            values.append(try value(compiled, index))
        }
        return SQLRow(columns: names, values: values)
    }

    /// The values by parameter name: GRDB names `$N` "N".
    private static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.enumerated().map { index, value -> (String, (any DatabaseValueConvertible)?) in
            let name = index < parameterNames.count ? parameterNames[index] : String(index + 1)
            switch value {
            case .null: return (name, nil)
            case .integer(let integer): return (name, integer)
            case .text(let text): return (name, text)
            }
        })
    }

    private static let parameterNames = (1...32).map(String.init)
}

/// The server's wall clock.
public enum ServerClock {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public static func millisecondsSince1970() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
