import Foundation
import GRDB
import Logging
import SyncCore

/// The device's local database: records with their full merge state, their history (whose
/// pending rows are the outbox of local changes not yet acknowledged), the sync cursor and the
/// replica's identity.
///
/// Every write is one SQLite transaction: a local edit writes the record's state and one
/// history row, which is also its outbox entry and carries its dot and stamp (see
/// `StoredClock`); a pulled page writes its changes and the cursor together. A crash at any
/// point leaves either all of it or none of it.
public final class DeviceStore: Sendable {
    public let schema: Schema
    public let replicaID: ReplicaID
    let database: any DatabaseWriter
    let logger: Logger
    let rule: EditRule?
    let physicalClock: @Sendable () -> Int64

    /// Opens (creating if needed) the store at `path`, or an in-memory store when `path` is nil.
    public init(
        path: String?,
        schema: Schema,
        rule: EditRule? = nil,
        logger: Logger = Logger(label: "fieldsync.store"),
        physicalClock: @escaping @Sendable () -> Int64 = DeviceStore.systemMilliseconds
    ) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        if let path {
            Self.restrictToOwner(path)
            database = try DatabasePool(path: path, configuration: configuration)
        } else {
            database = try DatabaseQueue(configuration: configuration)
        }
        try Self.migrator.migrate(database)
        self.replicaID = try database.write { db in
            if let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'replica'"),
               let id = ReplicaID(string: text) {
                return id
            }
            let id = ReplicaID()
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('replica', ?)", arguments: [id.rawValue])
            return id
        }
        self.schema = schema
        self.rule = rule
        self.logger = logger
        self.physicalClock = physicalClock
    }

    /// The store holds the device token: it is created readable and writable by its owner
    /// only (0600), and a store left with wider bits by an older version is narrowed. SQLite
    /// gives the `-wal` and `-shm` files the database file's mode, so they are 0600 too.
    /// A path that cannot be opened is left to SQLite, which reports it.
    static func restrictToOwner(_ path: String) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return }
        if status.st_mode & 0o077 != 0 {
            _ = fchmod(descriptor, mode_t(status.st_mode & 0o700))
        }
    }

    public static let systemMilliseconds: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        let bytes = Array(text.utf8)
        return try JSONReader.decodeIfSupported(type, from: bytes) ?? JSONDecoder().decode(type, from: Data(bytes))
    }

    func entitySchema(_ name: String) throws -> EntitySchema {
        guard let entity = schema.entity(name) else {
            throw StoreError(ValidationError(.unknownEntity, .unknownEntityListed, ["entity": name, "known": schema.entityNames.joined(separator: ", ")]))
        }
        return entity
    }
}

// MARK: - Meta

extension DeviceStore {
    static func meta(_ db: Database, _ key: String) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
    }

    static func setMeta(_ db: Database, _ key: String, _ value: String?) throws {
        if let value {
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", arguments: [key, value])
        } else {
            try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
        }
    }

    /// Reads a setting kept in the store (server URL, token, user…).
    public func setting(_ key: String) throws -> String? {
        try database.read { db in try Self.meta(db, key) }
    }

    /// Writes settings in one transaction; nil removes one.
    public func setSettings(_ values: [String: String?]) throws {
        try database.write { db in
            for (key, value) in values { try Self.setMeta(db, key, value) }
        }
    }

    /// The estimated offset of the server clock from this device's clock, in milliseconds.
    public func clockOffset() throws -> Int64 {
        try database.read { db in try StoredClock.load(db, replica: replicaID).offset }
    }

    public func setClockOffset(_ milliseconds: Int64) throws {
        try database.write { db in
            try db.cachedStatement(sql: "UPDATE replica_clock SET clock_offset = ? WHERE id = 1").execute(arguments: [milliseconds])
        }
    }
}

/// The replica's dot counter, hybrid clock and server clock offset, as the clock row and the
/// history hold them together.
///
/// A local edit does not write the clock row: its history row carries its dot and its stamp,
/// and the history is append-only by `seq`. So the clock is the row's values joined with the
/// newest local history row at or after the row's `clock_from` mark (rows before the mark are
/// folded into the row). Every transaction that writes the row (a pulled page, an
/// acknowledgement, a re-stamp) folds the history into it and moves the mark to the end, and
/// every transaction that deletes history rows does the same first (`foldClock`), so a dot
/// counter is never lost with a deleted row and never reused, also not after a crash: it is
/// persisted exactly when its change is.
struct StoredClock {
    var counter: UInt64
    var clock: HybridClock
    var offset: Int64

    static func load(_ db: Database, replica: ReplicaID) throws -> StoredClock {
        // Local rows are appended with increasing counters and stamps: the newest one after
        // the mark holds the latest of both. The scan runs backwards from the end and stops
        // at the first local row, or at the mark.
        let stored = try db.first("""
            SELECT c.counter, c.hlc_physical, c.hlc_logical, c.clock_offset, h.counter, h.hlc, h.hlc_logical
            FROM replica_clock c LEFT JOIN history h ON h.seq = (
                SELECT seq FROM history WHERE seq >= c.clock_from AND replica = ?1 ORDER BY seq DESC LIMIT 1
            )
            WHERE c.id = 1
            """, [replica.rawValue.databaseValue]) { row -> StoredClock in
            var stored = StoredClock(
                counter: UInt64(max(row.int64(0), 0)),
                clock: HybridClock(last: HLC(physical: row.int64(1), logical: UInt32(clamping: row.int64(2)))),
                offset: row.int64(3)
            )
            if !row.isNull(4) {
                stored.counter = max(stored.counter, UInt64(max(row.int64(4), 0)))
                let stamp = HLC(physical: row.int64(5), logical: UInt32(clamping: row.int64(6)))
                if stamp > stored.clock.last { stored.clock = HybridClock(last: stamp) }
            }
            return stored
        }
        guard let stored else { throw StoreError(code: "store_corrupted", .clockRowMissing) }
        return stored
    }

    /// The next dot of `replica`; persisted with the history row of its change.
    mutating func nextDot(_ replica: ReplicaID) -> Dot {
        counter += 1
        return Dot(replica: replica, counter: counter)
    }

    /// Writes back the counter and the clock, folding in every history row written so far
    /// (the offset has its own setter).
    func save(_ db: Database) throws {
        try db.cachedStatement(sql: """
            UPDATE replica_clock SET counter = ?, hlc_physical = ?, hlc_logical = ?,
                clock_from = (SELECT IFNULL(MAX(seq), 0) + 1 FROM history) WHERE id = 1
            """)
            .execute(arguments: [Int64(bitPattern: counter), clock.last.physical, Int64(clock.last.logical)])
    }
}
