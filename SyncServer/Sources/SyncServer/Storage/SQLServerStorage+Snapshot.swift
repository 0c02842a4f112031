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
/// The statements are shared by both backends except the choice of priority accounts, which
/// reads JSON paths inside the stored states (`json_each`/`json_extract` in SQLite,
/// `jsonb_path_query` in PostgreSQL), and the index hint of the priority phase (SQLite only).
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
            try await Int.fetchOne(
                db, sql: SnapshotSQL.count,
                arguments: [territories == nil, territories ?? "[]", globals, roots, "", "", Int.max, "[]", Int64.max, "rest"]
            )
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
            db,
            sql: SnapshotSQL.priorityAccounts,
            arguments: [
                territories == nil, territories ?? "[]", roots, rule.entity, BootstrapPriority.siblingsPath(rule.dueField), day,
                BootstrapPriority.siblingsPath(rule.doneField), BootstrapPriority.siblingsPath(rule.plannedField),
                min(rule.maxAccounts, BootstrapPriority.maxAccountsInCursor),
                rule.planEntity ?? "", BootstrapPriority.siblingsPath(rule.planDayField),
            ]
        )
    }
}

/// The snapshot's statements, written for each backend (`SQLCatalog`).
enum SnapshotSQL: SQLCatalog {
    case priorityAccounts, page, priorityPage, count

    var statement: SQLStatement {
        switch self {
        case .priorityAccounts: SQLStatement(sqlite: Self.priorityAccountsSQLite, postgres: Self.priorityAccountsPostgres)
        case .page: Self.pageStatement
        case .priorityPage: Self.priorityPageStatement
        case .count: Self.countStatement
        }
    }

    /// The priority accounts (SQLite). Parameters: $1 1 for everything, $2 the scope's territories (JSON
    /// array), $3 the scope-root entities (JSON array), $4 the entity pointing at them
    /// (activity), $5 the JSON path of its due-date register, $6 the day, $7 the path of its
    /// done register, $8 the path of its planned-time register, $9 the most accounts, $10 the
    /// visit-plan entity ("" for none), $11 the path of its planned-day register (one branch
    /// reads both "on the day" registers: the first ten characters of a time or a date). Any
    /// sibling of a register counts (a conflicted due date makes the account a priority: it is
    /// a hint, and one too many costs nothing).
    private static let priorityAccountsSQLite = """
        WITH scope(territory) AS (SELECT value FROM json_each($2)),
             roots(entity) AS (SELECT value FROM json_each($3)),
             -- Each live activity or visit plan of the scope with its three registers, read by
             -- one json_extract: one parse of the stored state instead of one per register.
             registers(account, entity, found) AS MATERIALIZED (
                 SELECT a.account_id, a.entity, json_extract(a.state, $5, $7, CASE WHEN a.entity = $4 THEN $8 ELSE $11 END)
                 FROM records a
                 JOIN records root ON root.entity IN (SELECT entity FROM roots) AND root.id = a.account_id
                 WHERE a.entity IN ($4, $10) AND a.deleted = 0 AND root.deleted = 0
                     AND ($1 = 1 OR root.territory IN (SELECT territory FROM scope))
             ),
             candidates(account, due) AS (
                 SELECT g.account, json_extract(s.value, '$.value')
                 FROM registers g JOIN json_each(g.found, '$[0]') s
                 WHERE g.entity = $4
                     AND json_extract(s.value, '$.value') <= $6
                     AND NOT EXISTS (SELECT 1 FROM json_each(g.found, '$[1]') d WHERE json_extract(d.value, '$.value') = 1)
                 UNION ALL
                 SELECT g.account, $6
                 FROM registers g JOIN json_each(g.found, '$[2]') s
                 WHERE substr(json_extract(s.value, '$.value'), 1, 10) = $6
             )
        SELECT account FROM candidates
        GROUP BY account
        ORDER BY MIN(due), account
        LIMIT $9
        """

    /// One snapshot page of phase `rest`. Parameters: $1 1 for everything, $2 the scope's
    /// territories (JSON array), $3 the global entities (JSON array), $4 the scope-root entities
    /// (JSON array), $5 / $6 the last `(entity, id)` sent in this phase (empty strings before
    /// its first page: less than every key), $7 the row limit, $8 the priority accounts (JSON
    /// array), $9 the snapshot's high-water mark, $10 the phase (unused here). The row-value
    /// comparison walks the primary key from there, leaving out the priority records that have
    /// no log entry after the high-water mark (phase `priority` sent them).
    private static let pageStatement = SQLStatement(page)

    /// The records the `rest` walk of `page` covers from the start, with its parameters (no
    /// priority accounts, no limit to speak of): a bootstrap's `total`.
    private static let countStatement = SQLStatement { dialect in "SELECT COUNT(*) FROM (" + page(dialect) + ") scoped" }

    private static func page(_ dialect: SQLDialect) -> String {
        """
        WITH scope(territory) AS (SELECT value FROM \(dialect.jsonElements("$2"))),
             globals(entity) AS (SELECT value FROM \(dialect.jsonElements("$3"))),
             roots(entity) AS (SELECT value FROM \(dialect.jsonElements("$4"))),
             priority(id) AS (SELECT value FROM \(dialect.jsonElements("$8")))
        SELECT r.entity, r.id, r.state FROM records r
        LEFT JOIN records root ON root.entity IN (SELECT entity FROM roots) AND root.id = r.account_id
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
        SELECT r.entity, r.id, r.state FROM records r\(dialect == .sqlite ? " INDEXED BY records_by_account" : "")
        LEFT JOIN records root ON root.entity IN (SELECT entity FROM roots) AND root.id = r.account_id
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

    /// The priority accounts (PostgreSQL), with the parameters of `priorityAccountsSQLite`. The
    /// register paths (`$.fields."f".register`) are SQL/JSON paths too; `[*]` walks the
    /// siblings as SQLite's `json_each` does, and a missing field yields no rows in lax mode.
    /// A done register holds `true` (SQLite's `json_extract` reads it as 1).
    private static let priorityAccountsPostgres = """
        WITH scope(territory) AS (SELECT value FROM json_array_elements_text(CAST($2 AS json)) AS json_elements(value)),
             roots(entity) AS (SELECT value FROM json_array_elements_text(CAST($3 AS json)) AS json_elements(value)),
             candidates(account, due) AS (
                 SELECT a.account_id, s.value ->> 'value'
                 FROM records a
                 JOIN records root ON root.entity IN (SELECT entity FROM roots) AND root.id = a.account_id
                 CROSS JOIN LATERAL jsonb_path_query(CAST(a.state AS jsonb), CAST(CAST($5 AS TEXT) || '[*]' AS jsonpath)) AS s(value)
                 WHERE a.entity = $4 AND a.deleted = 0 AND root.deleted = 0
                     AND ($1 = 1 OR root.territory IN (SELECT territory FROM scope))
                     AND s.value ->> 'value' <= CAST($6 AS TEXT)
                     AND NOT EXISTS (
                         SELECT 1 FROM jsonb_path_query(CAST(a.state AS jsonb), CAST(CAST($7 AS TEXT) || '[*]' AS jsonpath)) AS d(value)
                         WHERE d.value -> 'value' IN ('true', '1'))
                 UNION ALL
                 SELECT a.account_id, CAST($6 AS TEXT)
                 FROM records a
                 JOIN records root ON root.entity IN (SELECT entity FROM roots) AND root.id = a.account_id
                 CROSS JOIN LATERAL jsonb_path_query(
                     CAST(a.state AS jsonb), CAST(CASE WHEN a.entity = CAST($4 AS TEXT) THEN CAST($8 AS TEXT) ELSE CAST($11 AS TEXT) END || '[*]' AS jsonpath)
                 ) AS s(value)
                 WHERE a.entity IN (CAST($4 AS TEXT), CAST($10 AS TEXT)) AND a.deleted = 0 AND root.deleted = 0
                     AND ($1 = 1 OR root.territory IN (SELECT territory FROM scope))
                     AND substr(s.value ->> 'value', 1, 10) = CAST($6 AS TEXT)
             )
        SELECT account FROM candidates
        GROUP BY account
        ORDER BY MIN(due), account
        LIMIT $9
        """
}
