import SyncCore

/// Log compaction: dropping entries that no device will read again and that no longer show in
/// their record. See SyncServer/README.md, "Log compaction", for why it is safe.
///
/// Shared by both backends. A compaction run is one write transaction: in PostgreSQL it holds
/// the log lock like every write, so no sync commits entries while the floor is chosen and the
/// dead entries deleted, and two servers compacting at once take turns.
extension SQLServerStorage {
    /// One read transaction for both: each read transaction SQLite starts after a commit
    /// begins with an empty page cache, so a sync reads what it can in as few as it can.
    public func logBounds() async throws -> LogBounds {
        try await read { db in LogBounds(latest: try await Self.latestSequence(db), floor: try await Self.compactionFloor(db)) }
    }

    /// A device's own row: it does not wait for the log's lock. A compaction that reads the
    /// devices before this commits may pass `highWater`; the device is then behind the floor
    /// at its next page and is answered `resync`, as when compaction ran before the snapshot.
    public func noteBootstrap(replica: ReplicaID, highWater: LogSequence, at time: Int64) async throws {
        try await write(.device) { db in
            try await db.execute(
                sql: CompactionSQL.noteBootstrap,
                arguments: [highWater, time, replica.rawValue]
            )
        }
    }

    public func compactLog(activeSince: Int64, reclaimSpace: Bool) async throws -> CompactionSummary {
        let summary = try await write { db in try await Self.compact(activeSince: activeSince, db) }
        if reclaimSpace {
            // After the transaction: neither SQLite's nor PostgreSQL's VACUUM runs inside one.
            try await reclaimLogSpace()
        }
        return summary
    }

    static func compactionFloor(_ db: any SQLDatabase) async throws -> LogSequence {
        try await LogSequence.fetchOne(db, sql: CompactionSQL.floor) ?? 0
    }

    /// One compaction run inside the caller's write transaction.
    static func compact(activeSince: Int64, _ db: any SQLDatabase) async throws -> CompactionSummary {
        let latest = try await latestSequence(db)
        let state = try await SQLRow.fetchOne(db, sql: CompactionSQL.progress)
        let previousFloor: LogSequence = state.map { $0["floor"] } ?? 0
        let scannedThrough: LogSequence = state.map { $0["scanned_through"] } ?? 0
        // A device's position: what it has applied, or the snapshot it is bootstrapping from —
        // whichever is newer (after a resync the stored cursor is the old one). A CASE rather
        // than SQLite's two-argument MAX, which PostgreSQL spells GREATEST.
        let holding = try await LogSequence.fetchOne(
            db,
            sql: CompactionSQL.lowestCursor,
            arguments: [activeSince]
        )
        let inactive = try await Int.fetchOne(
            db,
            sql: CompactionSQL.idleDevices,
            arguments: [activeSince]
        ) ?? 0
        let floor = max(previousFloor, min(holding ?? latest, latest))

        // Records that may hold newly dead entries at or below the floor: those written since
        // the last run (a write can kill older entries), and those with entries that were above
        // the old floor and are now under the new one.
        let candidates = try await SQLRow.fetchAll(
            db,
            sql: CompactionSQL.touchedRecords,
            arguments: [scannedThrough, previousFloor, floor]
        )
        var removed = 0
        for candidate in candidates {
            // A UNION's columns take the names of its first SELECT.
            let entity: String = candidate["entity"]
            let id: String = candidate["id"]
            removed += try await compactRecord(entity: entity, id: id, floor: floor, db)
        }
        try await db.execute(
            sql: CompactionSQL.saveProgress,
            arguments: [floor, latest, ServerClock.millisecondsSince1970()]
        )
        return CompactionSummary(
            floor: floor, previousFloor: previousFloor, recordsExamined: candidates.count, entriesRemoved: removed,
            entriesKept: try await Int.fetchOne(db, sql: StorageSQL.logCount) ?? 0, inactiveDevices: inactive
        )
    }

    /// Deletes the dead entries of one record at or below `floor`; returns how many.
    private static func compactRecord(entity: String, id: RecordID, floor: LogSequence, _ db: any SQLDatabase) async throws -> Int {
        guard let state = try await loadRecord(db, entity: entity, id: id) else { return 0 }
        let rows = try await SQLRow.fetchAll(
            db, sql: AdminSQL.recordHistory,
            arguments: [entity, id]
        )
        // A record with one entry keeps it: its newest entry always writes the existence register.
        guard rows.count > 1 else { return 0 }
        let oldest: LogSequence = rows[0]["seq"]
        guard oldest <= floor else { return 0 }
        let changes = try rows.map { try ServerJSON.decode(Change.self, from: $0["change"] as String) }
        let live = LogCompaction.liveChanges(changes, state: state)
        var removed = 0
        for (index, row) in rows.enumerated() where !live.contains(index) {
            let sequence: LogSequence = row["seq"]
            guard sequence <= floor else { break }
            try await db.execute(sql: CompactionSQL.deleteEntry, arguments: [sequence])
            removed += 1
        }
        return removed
    }
}

/// The statements of SQLServerStorage+Compaction.swift, written for each backend (`SQLCatalog`).
enum CompactionSQL: SQLCatalog {
    case noteBootstrap, floor, progress, lowestCursor, idleDevices, touchedRecords, saveProgress, deleteEntry

    var statement: SQLStatement {
        switch self {
        case .noteBootstrap: "UPDATE devices SET bootstrap_high_water = $1, last_seen = $2 WHERE replica = $3"
        case .floor: "SELECT floor FROM compaction WHERE id = 1"
        case .progress: "SELECT floor, scanned_through FROM compaction WHERE id = 1"
        case .lowestCursor:
            """
            SELECT MIN(CASE WHEN bootstrap_high_water IS NULL OR cursor >= bootstrap_high_water THEN COALESCE(cursor, bootstrap_high_water)
                            ELSE bootstrap_high_water END)
            FROM devices
            WHERE revoked = 0 AND last_seen >= $1 AND (cursor IS NOT NULL OR bootstrap_high_water IS NOT NULL)
            """
        case .idleDevices: "SELECT COUNT(*) FROM devices WHERE revoked = 0 AND (last_seen IS NULL OR last_seen < $1) AND cursor IS NOT NULL"
        case .touchedRecords:
            """
            SELECT entity, id FROM records WHERE updated_seq > $1
            UNION
            SELECT DISTINCT entity, record_id FROM change_log WHERE seq > $2 AND seq <= $3
            """
        case .saveProgress: "UPDATE compaction SET floor = $1, scanned_through = $2, last_run = $3 WHERE id = 1"
        case .deleteEntry: "DELETE FROM change_log WHERE seq = $1"
        }
    }
}
