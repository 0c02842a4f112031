import CRM
import SyncCore

/// A `ServerStorage` on a SQL database: every method of the protocol is written once, in the
/// extensions of this protocol, against `SQLDatabase`; a backend only says how to run a read
/// and a write transaction. `SQLiteServerStorage` (the embedded default) and
/// `PostgresServerStorage` (several servers on one database) are the two backends.
///
/// The bodies are async: on PostgreSQL each statement suspends the task until the answer comes
/// (no thread waits); on SQLite they run start to end inside GRDB's closure on its own queue,
/// since GRDB's statements never suspend (`SynchronousBody`).
public protocol SQLServerStorage: ServerStorage {
    var schema: Schema { get }

    /// Runs `body` on one consistent snapshot of the database.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// Runs `body` in one write transaction of `kind`, committed when it returns and rolled
    /// back when it throws. On PostgreSQL pushes (`.append`) run side by side, the other
    /// appends (`.log`) one at a time with nothing else appending, and the kinds that append
    /// nothing never wait for either (see SyncServer/README.md, "PostgreSQL").
    func write<T: Sendable>(_ kind: SQLWriteKind, _ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T

    /// The highest log sequence a read that starts after this call may publish (a page's
    /// high-water mark): every change at or below it that will ever be committed is visible to
    /// that read. nil when every committed sequence may be (SQLite: one writer commits its
    /// sequences in order).
    func publishedLogLimit() async throws -> LogSequence?

    /// Returns the space that compaction freed in the change log to the file system, outside
    /// any transaction (`compactLog(activeSince:reclaimSpace:)`).
    func reclaimLogSpace() async throws
}

/// What a write transaction touches, which decides what it waits for on PostgreSQL (on SQLite,
/// with its single writer, every kind is the same grouped, durable write).
public enum SQLWriteKind: Sendable, Hashable {
    /// A push: appends to the change log what devices sent, merging into the records it names,
    /// which it locks (`lockForMerge`) — pushes run side by side on PostgreSQL.
    case append
    /// Appends to the change log as the server (its dot counter), or must see every entry
    /// committed before it and keep new ones out while it runs (compaction, accounts, admin
    /// actions): takes the log's lock exclusively.
    case log
    /// Only a device's own row (its cursor, last sync, bootstrap mark): no log reader depends on
    /// it, so it does not take the log's lock; its commit is durable like any other.
    case device
    /// Bookkeeping whose last commits may be lost in a crash at no cost (rate buckets, admin
    /// sessions): no log lock, and the commit does not wait for the disk.
    case bookkeeping

    /// Whether a write of this kind may append to the change log (and so ring `commits`).
    public var mayAppend: Bool {
        switch self {
        case .append, .log: true
        case .device, .bookkeeping: false
        }
    }
}

extension SQLServerStorage {
    /// A write that takes the log's lock exclusively (`SQLWriteKind.log`).
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await write(.log, body)
    }

    public func serverReplica() async throws -> ReplicaID {
        try await read { db in try await Self.meta(db).replica }
    }

    // MARK: Inspection

    public func record(entity: String, id: RecordID) async throws -> RecordState? {
        try await read { db in try await Self.loadRecord(db, entity: entity, id: id) }
    }

    public func records() async throws -> [RecordState] {
        try await read { db in
            try await String.fetchAll(db, sql: StorageSQL.allStates)
                .map { try ServerJSON.decode(RecordState.self, from: $0) }
        }
    }

    public func logCount() async throws -> Int {
        try await read { db in try await Int.fetchOne(db, sql: StorageSQL.logCount) ?? 0 }
    }

    public func conflicts(openOnly: Bool) async throws -> [ConflictEntry] {
        try await conflictEntries(openOnly: openOnly)
    }

    // MARK: Shared helpers (run inside a database access)

    static func meta(_ db: any SQLDatabase) async throws -> ServerMeta {
        guard let row = try await SQLRow.fetchOne(db, sql: StorageSQL.meta),
            let replica = ReplicaID(string: row["replica"])
        else {
            throw ServerError(.internalError, .noReplicaIdentity)
        }
        let counter: Int64 = row["dot_counter"]
        let logical: Int64 = row["hlc_logical"]
        return ServerMeta(
            replica: replica,
            dotCounter: UInt64(max(counter, 0)),
            hlc: HLC(physical: row["hlc_physical"], logical: UInt32(clamping: logical))
        )
    }

    static func saveMeta(_ meta: ServerMeta, _ db: any SQLDatabase) async throws {
        try await db.execute(
            sql: StorageSQL.saveMeta,
            arguments: [Int64(clamping: meta.dotCounter), meta.hlc.physical, Int64(meta.hlc.logical)]
        )
    }

    static func loadRecord(_ db: any SQLDatabase, entity: String, id: RecordID) async throws -> RecordState? {
        try await ServerRows.loadRecord(db, entity: entity, id: id)
    }
}

/// The server replica's identity, dot counter and clock, persisted in `server_meta`.
struct ServerMeta {
    var replica: ReplicaID
    var dotCounter: UInt64
    var hlc: HLC
}

/// Row reads shared by the storage and the helpers it hands a database to (`ConflictDescriber`).
enum ServerRows {
    static func loadRecord(_ db: any SQLDatabase, entity: String, id: RecordID) async throws -> RecordState? {
        if let known = (db as? PushBatch)?.knownRecord(entity, id) { return known.state }
        guard let json = try await String.fetchOne(db, sql: StorageSQL.recordState, arguments: [entity, id]) else {
            return nil
        }
        return try ServerJSON.decode(RecordState.self, from: json)
    }

    /// The keys two records share.
    static func sharedKeys(entity: String, _ first: RecordID, _ second: RecordID, _ db: any SQLDatabase) async throws -> [(kind: DuplicateKeys.Kind, key: String)] {
        try await SQLRow.fetchAll(
            db,
            sql: StorageSQL.sharedDuplicateKeys,
            arguments: [entity, first, second]
        ).compactMap { row in
            DuplicateKeys.Kind(rawValue: row["kind"]).map { (kind: $0, key: row["key"]) }
        }
    }
}

/// The migrations' DDL that both backends run (protocol extensions cannot hold stored
/// properties). The statements the storage runs are in the catalogs (`SQLCatalogs`).
enum ServerSQL {}

/// Every catalog of statements the storage runs: the test that prepares each statement on both
/// backends walks these (and checks that every `SQLCatalog` in the sources is listed).
enum SQLCatalogs {
    static let all: [any SQLCatalog.Type] = [
        AccountSQL.self, AdminSQL.self, CompactionSQL.self, ConflictLogSQL.self, DescriberSQL.self, LoyaltySQL.self,
        MergeLockSQL.self, NewsSQL.self, PostgresSQL.self, PushBatchSQL.self, ScopeSQL.self, SharedStateSQL.self, SnapshotSQL.self,
        StorageSQL.self, SyncSQL.self, TerritorySQL.self,
    ]
}

/// The statements of SQLServerStorage.swift, written for each backend (`SQLCatalog`).
enum StorageSQL: SQLCatalog {
    case logCount, allStates, meta, saveMeta, recordState, sharedDuplicateKeys

    var statement: SQLStatement {
        switch self {
        case .logCount: "SELECT COUNT(*) FROM change_log"
        case .allStates: "SELECT state FROM records ORDER BY entity, id"
        case .meta: "SELECT replica, dot_counter, hlc_physical, hlc_logical FROM server_meta WHERE id = 1"
        case .saveMeta: "UPDATE server_meta SET dot_counter = $1, hlc_physical = $2, hlc_logical = $3 WHERE id = 1"
        case .recordState: "SELECT state FROM records WHERE entity = $1 AND id = $2"
        case .sharedDuplicateKeys:
            """
            SELECT a.kind, a.key FROM duplicate_keys a
            JOIN duplicate_keys b ON b.entity = a.entity AND b.kind = a.kind AND b.key = a.key
            WHERE a.entity = $1 AND a.record_id = $2 AND b.record_id = $3 ORDER BY a.kind
            """
        }
    }
}
