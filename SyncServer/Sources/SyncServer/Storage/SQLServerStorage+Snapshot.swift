import SyncCore

/// Snapshot pages for bootstrapping devices, priority accounts first.
///
/// Why the device ends exact (details in SyncServer/README.md, "Bootstrap"): the high-water mark
/// `H` and the priority accounts `P` are read in one transaction on the first page and then
/// travel in the cursor, so they are fixed for the whole bootstrap. The `rest` phase alone is
/// the original exact walk over `(entity, id)`, except that it skips a record whose account is
/// in `P` and that has no log entry after `H`. Such a record has not changed since `H`, so its
/// account was the same while the `priority` phase walked past it, and that phase sent it —
/// unless it was out of scope then, which means its account moved out and back in after `H`:
/// the log after `H` then brings the account with all its records as an arrival. Compaction
/// never deletes a record's newest entry, so "has an entry after `H`" survives it.
///
/// The statements are shared by both backends except the index hint of the priority phase
/// (SQLite only). The priority accounts come from two indexed columns each record write
/// keeps (`records.priority_due`, `records.priority_day`: `BootstrapPriority.days`), not from
/// the stored states.
extension SQLServerStorage {
    public func snapshotPage(_ position: SnapshotPosition, limit: Int, maxBytes: Int, scope: AccessScope) async throws -> EncodedSnapshotPage {
        let globals = try ServerJSON.encodeString(schema.entities.filter { $0.scope == .global }.map(\.name).sorted())
        let roots = try ServerJSON.encodeString(schema.scopeRoots.sorted())
        let territories = try scope.sortedTerritories.map { try ServerJSON.encodeString($0) }
        let rule = BootstrapPriority.crm.applicable(to: schema)
        let published = position.highWater == nil ? try await publishedLogLimit() : nil
        // The first page's `total` walks the whole scope: it is counted in a read of its own,
        // beside the page's, so that the device waits for the longer of the two, not for both.
        async let counted = position.highWater == nil ? read { db in
            try await Int.fetchOne(db, sql: SnapshotSQL.count, arguments: [territories == nil, territories ?? "[]", globals, roots])
        } : nil
        // One read transaction: on the first page the high-water mark, the priority accounts and
        // the records come from the same database snapshot.
        var page = try await read { db in
            var highWater: LogSequence
            var phase: BootstrapCursor.Phase
            var priority: [RecordID]
            var after = position.after
            if let known = position.highWater {
                highWater = known
                phase = position.phase
                priority = position.priority
            } else {
                highWater = try await Self.publishedHighWater(db, limit: published)
                priority = []
                if let rule {
                    priority = try await Self.priorityAccounts(rule, day: position.day ?? "", territories: territories, roots: roots, db)
                }
                phase = priority.isEmpty ? .rest : .priority
                after = nil
            }
            let priorityJSON = try ServerJSON.encodeString(priority)

            var records: [CanonicalJSON] = []
            var bytes = 0
            var next: BootstrapCursor?
            // The last key sent in the current phase: where the next page resumes.
            var lastKey = after
            func cursor() -> BootstrapCursor {
                BootstrapCursor(
                    highWater: highWater, afterEntity: lastKey?.entity, afterID: lastKey?.id, phase: phase,
                    priority: priority.isEmpty ? nil : priority
                )
            }
            walk: while true {
                let room = limit - records.count
                if room == 0 {
                    next = cursor()
                    break
                }
                let rows = try await SQLRow.fetchAll(
                    db,
                    sql: phase == .priority ? SnapshotSQL.priorityPage : SnapshotSQL.page,
                    arguments: [
                        territories == nil, territories ?? "[]", globals, roots,
                        lastKey?.entity ?? "", lastKey?.id ?? "", room + 1, priorityJSON, highWater, phase.rawValue,
                    ]
                )
                for row in rows.prefix(room) {
                    let json: String = row["state"]
                    if !records.isEmpty && bytes + json.utf8.count > maxBytes {
                        next = cursor()
                        break walk
                    }
                    bytes += json.utf8.count
                    // The state goes out as stored: its key comes from its columns.
                    records.append(CanonicalJSON(stored: json))
                    lastKey = RecordReference(entity: row["entity"], id: row["id"])
                }
                if rows.count > room {
                    next = cursor()
                    break
                }
                guard phase == .priority else { break }
                // The priority phase is done: the rest follows, from its first key.
                phase = .rest
                lastKey = nil
            }
            return EncodedSnapshotPage(records: records, next: next, highWater: highWater)
        }
        // The whole scope once, on the first page: the device's progress and estimate.
        page.total = try await counted
        return page
    }

    /// The priority accounts in scope for `day`, earliest due first, at most `rule.maxAccounts`.
    static func priorityAccounts(_ rule: BootstrapPriority, day: String, territories: String?, roots: String, _ db: any SQLDatabase) async throws -> [RecordID] {
        guard Dates.isValidDay(day) else { return [] }
        return try await String.fetchAll(
            db, sql: SnapshotSQL.priorityAccounts,
            arguments: [territories == nil, territories ?? "[]", roots, day, min(rule.maxAccounts, BootstrapPriority.maxAccountsInCursor)]
        )
    }

    /// Fills `records.priority_due` and `priority_day` once for the records stored before the
    /// migration that added them (records written since carry them already).
    static func backfillPriorityDays(_ db: any SQLDatabase, schema: Schema) async throws {
        let name = "bootstrap-priority-v1"
        guard try await Bool.fetchOne(db, sql: ConflictLogSQL.derivedIndexBuilt, arguments: [name]) == false else { return }
        if let rule = BootstrapPriority.crm.applicable(to: schema) {
            let entities = try ServerJSON.encodeString([rule.entity] + (rule.planEntity.map { [$0] } ?? []))
            for json in try await String.fetchAll(db, sql: SnapshotSQL.statesOfEntities, arguments: [entities]) {
                let record = MaterializedRecord(state: try ServerJSON.decode(RecordState.self, from: json), schema: schema)
                try await db.execute(
                    sql: SnapshotSQL.setPriorityDays, arguments: [record.priorityDue, record.priorityDay, record.state.entity, record.state.id]
                )
            }
        }
        try await db.execute(sql: ConflictLogSQL.markDerivedIndexBuilt, arguments: [name])
    }
}

extension ServerSQL {
    /// Migration v10 of both backends: the two days of a record that choose a bootstrap's
    /// priority accounts (`BootstrapPriority.days`; NULL for other entities and deleted
    /// records), each with a partial index holding the account, so the choice reads the
    /// indexes only; and the territory beside the account in `records_by_account`, so the
    /// first page's `total` counts an account's records in the index alone.
    static func priorityDaysSQL(_ dialect: SQLDialect) -> String {
        let collation = dialect == .postgres ? #" COLLATE "C""# : ""
        return """
            ALTER TABLE records ADD COLUMN priority_due TEXT\(collation);
            ALTER TABLE records ADD COLUMN priority_day TEXT\(collation);
            CREATE INDEX records_by_priority_due ON records (priority_due, account_id) WHERE priority_due IS NOT NULL;
            CREATE INDEX records_by_priority_day ON records (priority_day, account_id) WHERE priority_day IS NOT NULL;
            DROP INDEX records_by_account;
            CREATE INDEX records_by_account ON records (account_id, territory)
            """
    }
}

/// The snapshot's statements, written for each backend (`SQLCatalog`).
enum SnapshotSQL: SQLCatalog {
    case priorityAccounts, page, priorityPage, count, statesOfEntities, setPriorityDays

    var statement: SQLStatement {
        switch self {
        case .priorityAccounts: Self.priorityAccountsStatement
        case .page: Self.pageStatement
        case .priorityPage: Self.priorityPageStatement
        case .count: Self.countStatement
        case .statesOfEntities: SQLStatement { dialect in "SELECT state FROM records WHERE entity IN (SELECT value FROM \(dialect.jsonElements("$1")))" }
        case .setPriorityDays: "UPDATE records SET priority_due = $1, priority_day = $2 WHERE entity = $3 AND id = $4"
        }
    }

    /// The priority accounts. Parameters: $1 1 for everything, $2 the scope's territories (JSON
    /// array), $3 the scope-root entities (JSON array), $4 the day, $5 the most accounts. The
    /// candidates are the live records due on or before the day and those happening on it,
    /// read from the partial indexes on `priority_due` and `priority_day` (with the account);
    /// their accounts must be live and in scope.
    private static let priorityAccountsStatement = SQLStatement { dialect in
        """
        WITH scope(territory) AS (SELECT value FROM \(dialect.jsonElements("$2"))),
             roots(entity) AS (SELECT value FROM \(dialect.jsonElements("$3"))),
             candidates(account, due) AS (
                 SELECT account_id, priority_due FROM records WHERE priority_due <= $4
                 UNION ALL
                 SELECT account_id, priority_day FROM records WHERE priority_day = $4
             )
        SELECT c.account FROM candidates c
        JOIN records root\(ServerSQL.placementIndex(dialect)) ON root.entity IN (SELECT entity FROM roots) AND root.id = c.account
        WHERE root.deleted = 0 AND ($1 = 1 OR root.territory IN (SELECT territory FROM scope))
        GROUP BY c.account
        ORDER BY MIN(c.due), c.account
        LIMIT $5
        """
    }

    /// One snapshot page of phase `rest`. Parameters: $1 1 for everything, $2 the scope's
    /// territories (JSON array), $3 the global entities (JSON array), $4 the scope-root entities
    /// (JSON array), $5 / $6 the last `(entity, id)` sent in this phase (empty strings before
    /// its first page: less than every key), $7 the row limit, $8 the priority accounts (JSON
    /// array), $9 the snapshot's high-water mark, $10 the phase (unused here). The row-value
    /// comparison walks the primary key from there, leaving out the priority records that have
    /// no log entry after the high-water mark (phase `priority` sent them).
    private static let pageStatement = SQLStatement(page)

    /// The number of records the `rest` walk of `page` covers from the start (no priority
    /// accounts): a bootstrap's `total`. Parameters: `page`'s first four. Counted in three
    /// disjoint parts, each from an index without reading a state: the global entities; the
    /// records with a territory of their own (accounts, leads: `COALESCE` takes theirs); and
    /// the records without one whose account (a scope root) is in scope, through
    /// `records_by_account (account_id, territory)`. A record with a territory has no account
    /// but its own (`MaterializedRecord`), so no record is in two parts.
    private static let countStatement = SQLStatement { dialect in
        """
        WITH scope(territory) AS (SELECT value FROM \(dialect.jsonElements("$2"))),
             globals(entity) AS (SELECT value FROM \(dialect.jsonElements("$3"))),
             roots(entity) AS (SELECT value FROM \(dialect.jsonElements("$4")))
        SELECT (SELECT COUNT(*) FROM records WHERE $1 = 1 OR entity IN (SELECT entity FROM globals))
            + (SELECT COUNT(*) FROM records
               WHERE $1 <> 1 AND territory IN (SELECT territory FROM scope) AND entity NOT IN (SELECT entity FROM globals))
            + (SELECT COUNT(*) FROM records root JOIN records r ON r.account_id = root.id
               WHERE $1 <> 1 AND root.entity IN (SELECT entity FROM roots) AND root.territory IN (SELECT territory FROM scope)
                   AND r.territory IS NULL AND r.entity NOT IN (SELECT entity FROM globals))
        """
    }

    private static func page(_ dialect: SQLDialect) -> String {
        """
        WITH scope(territory) AS (SELECT value FROM \(dialect.jsonElements("$2"))),
             globals(entity) AS (SELECT value FROM \(dialect.jsonElements("$3"))),
             roots(entity) AS (SELECT value FROM \(dialect.jsonElements("$4"))),
             priority(id) AS (SELECT value FROM \(dialect.jsonElements("$8")))
        SELECT r.entity, r.id, r.state FROM records r
        LEFT JOIN records root\(ServerSQL.placementIndex(dialect)) ON root.entity IN (SELECT entity FROM roots) AND root.id = r.account_id
        WHERE (r.entity, r.id) > ($5, $6)
            AND ($1 = 1
                 OR r.entity IN (SELECT entity FROM globals)
                 OR COALESCE(r.territory, root.territory) IN (SELECT territory FROM scope))
            AND $10 = 'rest'
            AND NOT (r.account_id IS NOT NULL AND r.account_id IN (SELECT id FROM priority)
                     AND NOT EXISTS (SELECT 1 FROM change_log l WHERE l.entity = r.entity AND l.record_id = r.id AND l.seq > $9))
        ORDER BY r.entity, r.id
        LIMIT $7
        """
    }

    /// One snapshot page of phase `priority`: the records whose account is a priority account,
    /// with the parameters of `page`. Found through `records_by_account` (a few thousand
    /// rows at most) rather than by walking the whole primary key for each page; PostgreSQL
    /// has no index hints, and its planner picks the index from the `IN` by itself.
    private static let priorityPageStatement = SQLStatement { dialect in
        """
        WITH scope(territory) AS (SELECT value FROM \(dialect.jsonElements("$2"))),
             globals(entity) AS (SELECT value FROM \(dialect.jsonElements("$3"))),
             roots(entity) AS (SELECT value FROM \(dialect.jsonElements("$4"))),
             priority(id) AS (SELECT value FROM \(dialect.jsonElements("$8")))
        SELECT r.entity, r.id, r.state FROM records r\(dialect.indexedBy("records_by_account"))
        LEFT JOIN records root\(ServerSQL.placementIndex(dialect)) ON root.entity IN (SELECT entity FROM roots) AND root.id = r.account_id
        WHERE r.account_id IN (SELECT id FROM priority)
            AND (r.entity, r.id) > ($5, $6)
            AND ($1 = 1
                 OR r.entity IN (SELECT entity FROM globals)
                 OR COALESCE(r.territory, root.territory) IN (SELECT territory FROM scope))
            AND $9 >= 0 AND $10 = 'priority'
        ORDER BY r.entity, r.id
        LIMIT $7
        """
    }
}
