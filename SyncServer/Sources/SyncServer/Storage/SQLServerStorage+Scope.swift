import SyncCore

/// Reads filtered by scope: log pages with evictions and arrivals (snapshot pages are in
/// `SQLServerStorage+Snapshot.swift`).
///
/// Every query binds the scope's territories as one JSON array parameter and reads it with
/// `json_each` (`json_array_elements_text` in PostgreSQL), so no SQL text depends on the data. A record's current territory is
/// `COALESCE(r.territory, root.territory)`: its own for accounts and leads, its account's for
/// child records (joined through `records.account_id`).
extension SQLServerStorage {
    /// Where `state` sits in the scope tree, given the server's current rows.
    static func scopeKey(of state: RecordState, schema: Schema, _ db: any SQLDatabase) async throws -> ScopeKey {
        guard let entity = schema.entity(state.entity) else { return .unassigned }
        switch entity.scope {
        case .global:
            return .global
        case .territory(let field):
            return state.value(of: field).stringValue.map(ScopeKey.territory) ?? .unassigned
        case .account(let field):
            guard let account = state.value(of: field).stringValue, let root = entity.field(field)?.type.referencedEntity else { return .unassigned }
            let territory: String?
            if let known = (db as? PushBatch)?.knownRecord(root, account) {
                territory = known.territory
            } else {
                territory = try await String.fetchOne(db, sql: ScopeSQL.territoryOfRecord, arguments: [root, account])
            }
            guard let territory else { return .unassigned }
            return .territory(territory)
        }
    }

    /// The logged changes of these records, oldest first, with their scope columns.
    func scopeHistory(of ids: Set<RecordID>) async throws -> [ScopeHistoryRow] {
        try await read { db in
            try await SQLRow.fetchAll(
                db,
                sql: ScopeSQL.historyOfRecords,
                arguments: [try ServerJSON.encodeString(ids.sorted())]
            ).map { row in
                ScopeHistoryRow(
                    sequence: row["seq"], change: try ServerJSON.decode(Change.self, from: row["change"]),
                    before: row["scope_before"], after: row["scope_after"]
                )
            }
        }
    }

    public func logPage(after cursor: LogSequence, limit: Int, maxBytes: Int, scope: AccessScope) async throws -> LogPage {
        let roots = try ServerJSON.encodeString(schema.scopeRoots.sorted())
        let published = try await publishedLogLimit()
        // One read transaction: the high-water mark, the rows and the current states of the
        // arrivals all come from the same database snapshot.
        return try await read { db in
            let highWater = try await Self.publishedHighWater(db, limit: published)
            guard let territories = scope.sortedTerritories else {
                return try await Self.unfilteredLogPage(after: cursor, highWater: highWater, limit: limit, maxBytes: maxBytes, db)
            }
            let rows = try await SQLRow.fetchAll(
                db,
                sql: ScopeSQL.scopedLog,
                arguments: [try ServerJSON.encodeString(territories), roots, cursor, highWater, limit + 1]
            )
            var page = LogPage(entries: [], cursor: highWater, hasMore: false)
            var bytes = 0
            var arrived = Set<RecordReference>()
            var evicted = Set<RecordReference>()
            for (index, row) in rows.enumerated() {
                if index == limit || (index > 0 && bytes > maxBytes) {
                    // The page ends after the last row handled; the rest is for the next sync.
                    page.hasMore = true
                    page.cursor = rows[index - 1]["seq"]
                    break
                }
                let action: String = row["action"]
                let reference = RecordReference(entity: row["entity"], id: row["record_id"])
                switch action {
                case "deliver":
                    let json: String = row["change"]
                    bytes += json.utf8.count
                    page.entries.append(EncodedLogEntry(sequence: row["seq"], change: CanonicalJSON(stored: json)))
                case "evict":
                    if evicted.insert(reference).inserted { page.evictions.append(reference) }
                case "arrive":
                    guard arrived.insert(reference).inserted else { continue }
                    for json in try await Self.arrivalStates(of: reference, db) {
                        bytes += json.utf8.count
                        page.arrivals.append(CanonicalJSON(stored: json))
                    }
                default:
                    throw ServerError(.internalError, .logAction, ["action": action])
                }
            }
            return page
        }
    }

    /// Every entry, for `.everything`.
    private static func unfilteredLogPage(after cursor: LogSequence, highWater: LogSequence, limit: Int, maxBytes: Int, _ db: any SQLDatabase) async throws -> LogPage {
        let rows = try await SQLRow.fetchAll(
            db,
            sql: ScopeSQL.logPage,
            arguments: [cursor, highWater, limit + 1]
        )
        var page = LogPage(entries: [], cursor: highWater, hasMore: false)
        var bytes = 0
        for (index, row) in rows.enumerated() {
            let json: String = row["change"]
            if index == limit || (index > 0 && bytes + json.utf8.count > maxBytes) {
                page.hasMore = true
                page.cursor = rows[index - 1]["seq"]
                break
            }
            bytes += json.utf8.count
            page.entries.append(EncodedLogEntry(sequence: row["seq"], change: CanonicalJSON(stored: json)))
        }
        return page
    }

    /// The current states a device receives when `reference` enters its scope: the record, and
    /// for an account every record that belongs to it (`records.account_id` of an account is its
    /// own id, of a child its account's, of anything else NULL).
    private static func arrivalStates(of reference: RecordReference, _ db: any SQLDatabase) async throws -> [String] {
        try await String.fetchAll(
            db,
            sql: ScopeSQL.arrivalStates,
            arguments: [reference.entity, reference.id, reference.id]
        )
    }
}


extension ServerSQL {
    /// Migration v11 of the SQLite store: where each record sits, in an index of its own. A
    /// stored state of more than about 1 KB spills out of its `records` row (a `WITHOUT ROWID`
    /// table keeps less of a row in its page than a rowid table), so reading a record's
    /// territory from the row itself walks the state's overflow pages: 6 µs a record joined,
    /// against 0.2 µs from this index (a log page of 1,114 entries: 8.8 → 1.1 ms). Statements
    /// that read only these columns name it (`INDEXED BY`): SQLite's planner, without
    /// statistics, would keep the primary key. PostgreSQL keeps large states out of line
    /// (TOAST) and needs no such index.
    static let recordPlacementSQL = "CREATE INDEX records_placement ON records (entity, id, territory, account_id, deleted)"

    /// The SQLite hint naming `records_placement`, after a `records` table (and its alias).
    static func placementIndex(_ dialect: SQLDialect) -> String {
        dialect.indexedBy("records_placement")
    }
}

/// One logged change with where its record sat before and after it, for diagnostics.
struct ScopeHistoryRow: Sendable {
    var sequence: LogSequence
    var change: Change
    var before: String?
    var after: String?
}

/// The statements of SQLServerStorage+Scope.swift, written for each backend (`SQLCatalog`).
enum ScopeSQL: SQLCatalog {
    case scopedLog
    case territoryOfRecord, historyOfRecords, logPage, arrivalStates

    var statement: SQLStatement {
        switch self {
        case .scopedLog: Self.scopedLogStatement
        case .territoryOfRecord: SQLStatement { dialect in "SELECT territory FROM records\(ServerSQL.placementIndex(dialect)) WHERE entity = $1 AND id = $2" }
        case .historyOfRecords: Self.historyOfRecordsStatement
        case .logPage: "SELECT seq, change FROM change_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3"
        case .arrivalStates: "SELECT state FROM records WHERE (entity = $1 AND id = $2) OR account_id = $3 ORDER BY entity, id"
        }
    }

    /// The log rows after a cursor that concern a scope, each with what the device does with it.
    ///
    /// Parameters: $1 the scope's territories (JSON array), $2 the scope-root entities (JSON
    /// array), $3 the cursor, $4 the high-water mark, $5 the row limit. For each entry, with
    /// `before`/`after` = its record's territory just before/after it was logged being in the
    /// scope, and `now` = the record's current territory being in the scope:
    ///
    /// | before | after | now | action |
    /// | --- | --- | --- | --- |
    /// | yes | yes | yes | deliver the entry |
    /// | yes | no | no | evict the record (it left the scope and is still out) |
    /// | no | yes | yes | send the record's current state (it entered the scope and is still in) |
    /// | otherwise | | | nothing: a later entry moves the record again, and that one decides |
    ///
    /// Reference data (`scope_global`) is always delivered.
    private static let scopedLogStatement = SQLStatement { dialect in
        """
        WITH scope(territory) AS (SELECT value FROM \(dialect.jsonElements("$1"))),
             roots(entity) AS (SELECT value FROM \(dialect.jsonElements("$2")))
        SELECT seq, entity, record_id, change, action FROM (
            SELECT seq, entity, record_id, change,
                CASE
                    WHEN scope_global = 1 THEN 'deliver'
                    WHEN in_before = 1 AND in_after = 1 AND in_now = 1 THEN 'deliver'
                    WHEN in_before = 1 AND in_after = 0 AND in_now = 0 THEN 'evict'
                    WHEN in_before = 0 AND in_after = 1 AND in_now = 1 THEN 'arrive'
                END AS action
            FROM (
                SELECT l.seq AS seq, l.entity AS entity, l.record_id AS record_id, l.change AS change,
                    l.scope_global AS scope_global,
                    CASE WHEN l.scope_before IN (SELECT territory FROM scope) THEN 1 ELSE 0 END AS in_before,
                    CASE WHEN l.scope_after IN (SELECT territory FROM scope) THEN 1 ELSE 0 END AS in_after,
                    CASE WHEN COALESCE(r.territory, root.territory) IN (SELECT territory FROM scope) THEN 1 ELSE 0 END AS in_now
                FROM change_log l
                LEFT JOIN records r\(ServerSQL.placementIndex(dialect)) ON r.entity = l.entity AND r.id = l.record_id
                LEFT JOIN records root\(ServerSQL.placementIndex(dialect)) ON root.entity IN (SELECT entity FROM roots) AND root.id = r.account_id
                WHERE l.seq > $3 AND l.seq <= $4
                    AND (l.scope_global = 1
                         OR l.scope_before IN (SELECT territory FROM scope)
                         OR l.scope_after IN (SELECT territory FROM scope))
            ) AS placed
        ) AS decided
        WHERE action IS NOT NULL
        ORDER BY seq
        LIMIT $5
        """
    }

    private static let historyOfRecordsStatement = SQLStatement { dialect in
        "SELECT seq, change, scope_before, scope_after FROM change_log WHERE record_id IN (SELECT value FROM \(dialect.jsonElements("$1"))) ORDER BY seq"
    }
}
