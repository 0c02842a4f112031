import Foundation
import GRDB
import Logging
import SyncCore

/// The device's local database: records with their full merge state, the outbox of local
/// changes not yet acknowledged, the sync cursor and the replica's identity.
///
/// Every write is one SQLite transaction: a local edit writes state, outbox and history
/// together; a pulled page writes its changes and the cursor together. A crash at any point
/// leaves either all of it or none of it.
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
            throw StoreError(ValidationError(.unknownEntity, "unknown entity '\(name)' (known: \(schema.entityNames.joined(separator: ", ")))"))
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
        try database.read { db in try StoredClock.load(db).offset }
    }

    public func setClockOffset(_ milliseconds: Int64) throws {
        try database.write { db in
            try db.cachedStatement(sql: "UPDATE replica_clock SET clock_offset = ? WHERE id = 1").execute(arguments: [milliseconds])
        }
    }

    /// The corrected physical time: the device clock plus the estimated server offset.
    func correctedTime(_ db: Database) throws -> Int64 {
        physicalClock() + (try StoredClock.load(db).offset)
    }

    static func loadClock(_ db: Database) throws -> HybridClock {
        try StoredClock.load(db).clock
    }

    static func saveClock(_ db: Database, _ clock: HybridClock) throws {
        try db.cachedStatement(sql: "UPDATE replica_clock SET hlc_physical = ?, hlc_logical = ? WHERE id = 1")
            .execute(arguments: [clock.last.physical, clock.last.logical])
    }

    /// Takes the next dot counter. Called inside the transaction that writes the change, so a
    /// counter is persisted exactly when its change is, and never reused.
    ///
    /// This and `loadClock`/`saveClock`/`correctedTime` read or write the clock row on each
    /// call. A transaction that stamps many changes loads a `StoredClock` once and saves it at
    /// the end instead; don't mix the two in one transaction, or the later save overwrites the
    /// other's counter.
    func nextDot(_ db: Database) throws -> Dot {
        var stored = try StoredClock.load(db)
        let dot = stored.nextDot(replicaID)
        try db.cachedStatement(sql: "UPDATE replica_clock SET counter = ? WHERE id = 1").execute(arguments: [Int64(bitPattern: stored.counter)])
        return dot
    }
}

/// The replica's dot counter, hybrid clock and server clock offset: the one row every local
/// edit reads and advances. A transaction loads it once, stamps all its changes from it and
/// saves it once, so counters are persisted exactly when their changes are.
struct StoredClock {
    var counter: UInt64
    var clock: HybridClock
    var offset: Int64

    static func load(_ db: Database) throws -> StoredClock {
        let statement = try db.cachedStatement(sql: "SELECT counter, hlc_physical, hlc_logical, clock_offset FROM replica_clock WHERE id = 1")
        guard let row = try Row.fetchOne(statement) else {
            throw StoreError(code: "store_corrupted", message: "the replica clock row is missing")
        }
        let counter: Int64 = row[0]
        let physical: Int64 = row[1]
        let logical: Int64 = row[2]
        return StoredClock(
            counter: UInt64(max(counter, 0)),
            clock: HybridClock(last: HLC(physical: physical, logical: UInt32(clamping: logical))),
            offset: row[3]
        )
    }

    /// The next dot of `replica`; the counter is persisted by `save`.
    mutating func nextDot(_ replica: ReplicaID) -> Dot {
        counter += 1
        return Dot(replica: replica, counter: counter)
    }

    /// Writes back the counter and the clock (the offset has its own setter).
    func save(_ db: Database) throws {
        try db.cachedStatement(sql: "UPDATE replica_clock SET counter = ?, hlc_physical = ?, hlc_logical = ? WHERE id = 1")
            .execute(arguments: [Int64(bitPattern: counter), clock.last.physical, Int64(clock.last.logical)])
    }
}
