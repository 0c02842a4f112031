import Foundation
import GRDB
import Logging
import Synchronization
import CRM
import SyncCore

/// The embedded default store of the sync server: SQLite in WAL mode through a GRDB
/// `DatabasePool`, so syncs read concurrently while one writer applies pushes.
public final class SQLiteServerStorage: ServerStorage {
    let pool: DatabasePool
    let schema: Schema
    let logger: Logger
    private let isClosed = Mutex(false)

    /// Opens (creating and migrating if needed) the store at `path`.
    public init(path: String, schema: Schema = CRMSchema.schema, logger: Logger) throws {
        var configuration = Configuration()
        configuration.label = "fieldsync-server"
        // The CLI (user add, import) may write while a server runs on the same file.
        configuration.busyMode = .timeout(10)
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.schema = schema
        self.logger = logger
        try Self.migrator.migrate(pool)
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

    public func serverReplica() async throws -> ReplicaID {
        try await pool.read { db in try Self.meta(db).replica }
    }

    /// Closes the store. Closing twice is harmless; other calls after closing fail.
    public func close() async throws {
        guard isClosed.withLock({ closed in defer { closed = true }; return !closed }) else { return }
        // GRDB closes the writer before the readers, so SQLite cannot fold the WAL back on
        // close; checkpoint first so the main file holds everything and the WAL is empty.
        try await pool.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
        }
        try pool.close()
    }

    // MARK: Inspection

    public func record(entity: String, id: RecordID) async throws -> RecordState? {
        try await pool.read { db in try Self.loadRecord(db, entity: entity, id: id) }
    }

    public func records() async throws -> [RecordState] {
        try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT state FROM records ORDER BY entity, id")
                .map { try ServerJSON.decode(RecordState.self, from: $0) }
        }
    }

    public func logCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM change_log") ?? 0 }
    }

    public func conflicts(openOnly: Bool) async throws -> [ConflictEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT entity, record_id, field, kind, status, opened_at, opened_seq, closed_at, closed_seq
                    FROM conflicts WHERE (? = 0 OR status = 'open') ORDER BY id
                    """,
                arguments: [openOnly]
            ).compactMap { row -> ConflictEntry? in
                guard let kind = ConflictKind(rawValue: row["kind"]),
                    let status = ConflictEntry.Status(rawValue: row["status"])
                else { return nil }
                return ConflictEntry(
                    key: ConflictKey(entity: row["entity"], recordID: row["record_id"], field: row["field"], kind: kind),
                    status: status,
                    openedAt: row["opened_at"],
                    openedSequence: row["opened_seq"],
                    closedAt: row["closed_at"],
                    closedSequence: row["closed_seq"]
                )
            }
        }
    }

    // MARK: Shared helpers (run inside a database access)

    struct Meta {
        var replica: ReplicaID
        var dotCounter: UInt64
        var hlc: HLC
    }

    static func meta(_ db: Database) throws -> Meta {
        guard let row = try Row.fetchOne(db, sql: "SELECT replica, dot_counter, hlc_physical, hlc_logical FROM server_meta WHERE id = 1"),
            let replica = ReplicaID(string: row["replica"])
        else {
            throw ServerError(.internalError, "the server store has no replica identity")
        }
        let counter: Int64 = row["dot_counter"]
        let logical: Int64 = row["hlc_logical"]
        return Meta(
            replica: replica,
            dotCounter: UInt64(max(counter, 0)),
            hlc: HLC(physical: row["hlc_physical"], logical: UInt32(clamping: logical))
        )
    }

    static func saveMeta(_ meta: Meta, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE server_meta SET dot_counter = ?, hlc_physical = ?, hlc_logical = ? WHERE id = 1",
            arguments: [Int64(clamping: meta.dotCounter), meta.hlc.physical, Int64(meta.hlc.logical)]
        )
    }

    static func loadRecord(_ db: Database, entity: String, id: RecordID) throws -> RecordState? {
        guard let json = try String.fetchOne(db, sql: "SELECT state FROM records WHERE entity = ? AND id = ?", arguments: [entity, id]) else {
            return nil
        }
        return try ServerJSON.decode(RecordState.self, from: json)
    }
}

/// The server's wall clock.
public enum ServerClock {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public static func millisecondsSince1970() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
