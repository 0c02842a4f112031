import CRM
import SyncCore

/// What admins read and decide: the conflict log, record histories, resolutions and merges.
extension SQLServerStorage {
    func conflictEntries(openOnly: Bool) async throws -> [ConflictLogEntry] {
        try await read { db in
            try await SQLRow.fetchAll(db, sql: AdminSQL.allConflicts, arguments: [openOnly])
                .map(Self.conflictEntry(from:))
        }
    }

    public func conflictList(_ filter: ConflictFilter, now: Int64) async throws -> ConflictList {
        try await read { db in
            let all = try Self.arguments(filter, now: now, includeStatus: true)
            let limit = max(0, min(filter.limit, 1000))
            let entries = try await SQLRow.fetchAll(db, sql: AdminSQL.conflictList, arguments: all + [limit, max(0, filter.offset)])
                .map(Self.conflictEntry(from:))
            let total = try await Int.fetchOne(db, sql: AdminSQL.conflictCount, arguments: all) ?? 0
            let withoutStatus = try Self.arguments(filter, now: now, includeStatus: false)
            var anyTerritory = filter
            anyTerritory.territory = nil
            func counts(_ column: String, _ arguments: [any SQLBindable]) async throws -> [String: Int] {
                var result: [String: Int] = [:]
                for row in try await SQLRow.fetchAll(db, sql: AdminSQL.conflictGroup, arguments: arguments + [column]) {
                    guard let name = row["name"] as String? else { continue }
                    result[name] = row["n"]
                }
                return result
            }
            return ConflictList(
                conflicts: entries, total: total, byStatus: try await counts("status", withoutStatus),
                byEntity: try await counts("entity", all), byKind: try await counts("kind", all),
                byTerritory: try await counts("territory", try Self.arguments(anyTerritory, now: now, includeStatus: true))
            )
        }
    }

    /// The bound values of `AdminSQL.conflictFilter` for a filter, in the order of its
    /// numbered parameters; NULL where the filter is absent.
    static func arguments(_ filter: ConflictFilter, now: Int64, includeStatus: Bool) throws -> [any SQLBindable] {
        let statuses: String? = includeStatus ? try filter.statuses.map { try ServerJSON.encodeString($0.map(\.rawValue).sorted()) } : nil
        return [
            statuses, filter.entity, filter.kind?.rawValue, filter.territory, filter.user,
            filter.olderThan.map { now - $0 }, filter.newerThan.map { now - $0 },
            filter.query.map { "%" + likeEscaped($0.lowercased()) + "%" },
        ]
    }

    /// `text` matched literally by `LIKE … ESCAPE '\'`.
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    public func conflictDetail(id: Int64) async throws -> ConflictDetail? {
        let schema = self.schema
        return try await read { db in
            guard let row = try await SQLRow.fetchOne(db, sql: AdminSQL.conflictByID, arguments: [id]) else { return nil }
            let entry = try Self.conflictEntry(from: row)
            let key = entry.key
            let policy = schema.entity(key.entity)?.deletionPolicy ?? .updateWins
            let before = key.kind == .concurrentValues || key.kind == .deleteVsEdit
                ? try await Self.commonAncestor(db, entity: key.entity, id: key.recordID, of: entry.competitors.map(\.dot))
                : try await Self.replay(db, entity: key.entity, id: key.recordID, through: entry.openedSequence - 1)
            let current = try await Self.currentView(db, entity: key.entity, id: key.recordID, schema: schema)
            var related: RecordView?
            if let twin = entry.related { related = try await Self.currentView(db, entity: twin.entity, id: twin.id, schema: schema) }
            var mergeDefaults: [String: RecordID]?
            if key.kind == .probableDuplicate, let twin = entry.related, let record = try await Self.loadRecord(db, entity: key.entity, id: key.recordID),
                let other = try await Self.loadRecord(db, entity: twin.entity, id: twin.id)
            {
                mergeDefaults = DuplicateMerge.defaults(record, other, schema: schema)
            }
            return ConflictDetail(
                conflict: entry,
                before: before.map { RecordView(state: $0.state, policy: policy, sequence: $0.sequence) },
                after: current,
                related: related,
                actions: ConflictResolver.actions(for: entry, relatedExists: related != nil),
                mergeDefaults: mergeDefaults
            )
        }
    }

    public func resolveConflict(id: Int64, _ resolution: ConflictResolution, by admin: ChangeAuthor) async throws -> ConflictResolutionResult {
        let schema = self.schema
        return try await write { db in
            let entry = try await Self.openConflict(id: id, db)
            let key = entry.key
            if resolution.action == .merge {
                guard let related = entry.related else {
                    throw ServerError(.invalidRequest, .onlyProbableDuplicateMerges)
                }
                let survivor = resolution.survivor ?? key.recordID
                guard survivor == key.recordID || survivor == related.id else {
                    throw ServerError(.invalidRequest, .survivorMustBe, ["first": key.recordID, "second": related.id])
                }
                let request = DuplicateMergeRequest(
                    entity: key.entity, survivor: survivor, duplicate: survivor == key.recordID ? related.id : key.recordID,
                    fields: resolution.fields, note: resolution.note
                )
                let merge = try await Self.mergeDuplicates(request, by: admin, schema: schema, db)
                return ConflictResolutionResult(conflict: try await Self.conflictEntry(id: id, db), sequences: merge.sequences)
            }
            let record = try await Self.loadRecord(db, entity: key.entity, id: key.recordID)
            var related: RecordState?
            if let twin = entry.related { related = try await Self.loadRecord(db, entity: twin.entity, id: twin.id) }
            let edits = try ConflictResolver.edits(for: entry, resolution, record: record, related: related, schema: schema)
            for edit in edits {
                try await Self.checkReferences(of: edit, schema: schema, db)
            }
            let sequences = try await Self.writeServerEdits(edits, author: admin, schema: schema, db)
            guard try await String.fetchOne(db, sql: AdminSQL.conflictStatus, arguments: [id]) != ConflictStatus.open.rawValue else {
                throw ServerError(.internalError, .resolutionDidNotSettle, ["id": id])
            }
            var words = "\(resolution.action.rawValue)"
            if resolution.action == .choose || resolution.action == .value, let state = try await Self.loadRecord(db, entity: key.entity, id: key.recordID) {
                words += ": " + ConflictDescriber.label(state.value(of: key.field))
            }
            if let note = resolution.note, !note.isEmpty { words += " — \(note)" }
            try await Self.markResolvedByAdmin([id], admin: admin, sequence: sequences.last, resolution: words, schema: schema, db)
            return ConflictResolutionResult(conflict: try await Self.conflictEntry(id: id, db), sequences: sequences)
        }
    }

    public func dismissConflict(id: Int64, reason: String, by admin: String, at time: Int64) async throws -> ConflictLogEntry {
        try await write { db in
            _ = try await Self.openConflict(id: id, db)
            try await db.execute(
                sql: AdminSQL.dismissConflict,
                arguments: [time, admin, reason, id]
            )
            return try await Self.conflictEntry(id: id, db)
        }
    }

    public func mergeDuplicates(_ request: DuplicateMergeRequest, by admin: ChangeAuthor) async throws -> DuplicateMergeResult {
        let schema = self.schema
        return try await write { db in try await Self.mergeDuplicates(request, by: admin, schema: schema, db) }
    }

    public func recordHistory(entity: String, id requested: RecordID) async throws -> RecordHistory? {
        let schema = self.schema
        return try await read { db in
            guard let id = try await Self.recordID(entity: entity, prefix: requested, db) else { return nil }
            let rows = try await SQLRow.fetchAll(
                db,
                sql: AdminSQL.recordAudit,
                arguments: [entity, id]
            )
            guard !rows.isEmpty else { return nil }
            var state = RecordState(entity: entity, id: id)
            var entries: [RecordHistoryEntry] = []
            let changes = try rows.map { try ServerJSON.decode(Change.self, from: $0["change"]) }
            for (index, row) in rows.enumerated() {
                let change = changes[index]
                let before = state
                state = try state.merging(change).state
                let fields = change.fields.reduce(into: [String]()) { names, name in
                    if !names.contains(name) { names.append(name) }
                }
                let conflicted = change.isDelete
                    ? state.hasDeleteConflict
                    : fields.contains { state.fields[$0]?.register?.isConflicted == true } || state.hasDeleteConflict
                entries.append(RecordHistoryEntry(
                    sequence: row["seq"], dot: change.dot, hlc: change.hlc,
                    author: ChangeAuthorInfo(
                        user: row["user"], device: row["device"], deviceName: row["device_name"], receivedAt: row["received_at"], sequence: row["seq"]
                    ),
                    created: index == 0, deleted: change.isDelete,
                    fields: fields.map { field in
                        guard let wrote = change.assigned(field) else {
                            return FieldChange(field: field, old: before.value(of: field), new: state.value(of: field))
                        }
                        let lineage = change.lineage(of: field, among: changes)
                        return FieldChange(
                            field: field, old: before.value(of: field), new: state.value(of: field),
                            seen: lineage.seen, wrote: wrote, concurrentWith: lineage.concurrent
                        )
                    },
                    conflicted: conflicted
                ))
            }
            return RecordHistory(entity: entity, id: id, current: try await Self.currentView(db, entity: entity, id: id, schema: schema), entries: entries)
        }
    }

    public func conflictStatistics(now: Int64) async throws -> ConflictStatistics {
        try await read { db in
            var statistics = ConflictStatistics()
            for row in try await SQLRow.fetchAll(db, sql: AdminSQL.openConflictAges) {
                let bucket = ConflictStatistics.AgeBucket(age: now - (row["opened_at"] as Int64))
                statistics.open[ConflictStatistics.OpenKey(entity: row["entity"], age: bucket), default: 0] += 1
            }
            for row in try await SQLRow.fetchAll(db, sql: AdminSQL.conflictCounts) {
                statistics.entries[ConflictStatistics.EntryKey(kind: row["kind"], status: row["status"]), default: 0] += row["n"] as Int
            }
            statistics.changes = try await Int.fetchOne(db, sql: StorageSQL.logCount) ?? 0
            return statistics
        }
    }

    // MARK: Helpers (inside a database access)

    /// The id of the one record of `entity` in the log whose id is `prefix` or starts with it;
    /// nil when none. Several matches are refused with their ids.
    static func recordID(entity: String, prefix: String, _ db: any SQLDatabase) async throws -> RecordID? {
        if try await Bool.fetchOne(db, sql: AdminSQL.recordLogged, arguments: [entity, prefix]) == true {
            return prefix
        }
        let matches = try await String.fetchAll(
            db, sql: AdminSQL.recordIDsWithPrefix,
            arguments: [entity, likeEscaped(prefix) + "%"]
        )
        guard matches.count <= 1 else {
            throw ServerError(
                .invalidRequest, .prefixAmbiguous,
                ["prefix": prefix, "entity": entity, "matches": matches.prefix(5).joined(separator: ", ") + (matches.count > 5 ? ", …" : "")]
            )
        }
        return matches.first
    }

    static func conflictEntry(id: Int64, _ db: any SQLDatabase) async throws -> ConflictLogEntry {
        guard let row = try await SQLRow.fetchOne(db, sql: AdminSQL.conflictByID, arguments: [id]) else {
            throw ServerError(.notFound, .noConflict, ["id": id])
        }
        return try conflictEntry(from: row)
    }

    static func openConflict(id: Int64, _ db: any SQLDatabase) async throws -> ConflictLogEntry {
        let entry = try await conflictEntry(id: id, db)
        guard entry.status == .open else {
            throw ServerError(
                .conflictNotOpen, entry.closedBy == nil ? .conflictAlreadyClosed : .conflictAlreadyClosedBy,
                ["id": id, "status": ServerError.Value.word(entry.status.word), "admin": entry.closedBy ?? ""]
            )
        }
        return entry
    }

    static func conflictEntry(from row: SQLRow) throws -> ConflictLogEntry {
        let kindText: String = row["kind"]
        let statusText: String = row["status"]
        guard let kind = ConflictKind(rawValue: kindText), let status = ConflictStatus(rawValue: statusText) else {
            throw ServerError(.internalError, .storedConflict, ["kind": kindText, "status": statusText])
        }
        let related: RecordReference? = (row["related_entity"] as String?).flatMap { entity in
            (row["related_id"] as String?).map { RecordReference(entity: entity, id: $0) }
        }
        return ConflictLogEntry(
            id: row["id"],
            key: ConflictKey(entity: row["entity"], recordID: row["record_id"], field: row["field"], kind: kind),
            status: status,
            related: related,
            reason: row["reason"],
            territory: row["territory"],
            recordLabel: row["record_label"],
            competitors: try ServerJSON.decode([CompetingValue].self, from: row["competitors"]),
            displayed: row["displayed"],
            users: try ServerJSON.decode([String].self, from: row["users"]),
            openedAt: row["opened_at"],
            openedSequence: row["opened_seq"],
            openedBy: row["opened_by"],
            closedAt: row["closed_at"],
            closedSequence: row["closed_seq"],
            closedBy: row["closed_by"],
            resolution: row["resolution"]
        )
    }

    /// The state of a record after the log entries up to `sequence`, by replaying the log.
    static func replay(_ db: any SQLDatabase, entity: String, id: RecordID, through sequence: LogSequence) async throws -> (state: RecordState, sequence: LogSequence)? {
        let rows = try await SQLRow.fetchAll(
            db, sql: AdminSQL.recordHistoryThrough,
            arguments: [entity, id, sequence]
        )
        guard let last = rows.last else { return nil }
        var state = RecordState(entity: entity, id: id)
        for row in rows {
            state = try state.merging(try ServerJSON.decode(Change.self, from: row["change"])).state
        }
        return (state, last["seq"])
    }

    /// The record as every one of the competing writes `dots` had seen it: the logged changes
    /// that all their contexts cover, replayed (what "before the conflict" means); nil when
    /// they had seen nothing in common, or a write is not in the log.
    static func commonAncestor(_ db: any SQLDatabase, entity: String, id: RecordID, of dots: [Dot]) async throws -> (state: RecordState, sequence: LogSequence)? {
        let rows = try await SQLRow.fetchAll(
            db, sql: AdminSQL.recordHistory, arguments: [entity, id]
        )
        let changes = try rows.map { try ServerJSON.decode(Change.self, from: $0["change"]) }
        let contexts = dots.compactMap { dot in changes.first { $0.dot == dot }?.context }
        guard !contexts.isEmpty, contexts.count == dots.count else { return nil }
        var state = RecordState(entity: entity, id: id)
        var last: LogSequence?
        for (row, change) in zip(rows, changes) where contexts.allSatisfy({ $0.covers(change.dot) }) {
            state = try state.merging(change).state
            last = row["seq"]
        }
        return last.map { (state, $0) }
    }

    static func currentView(_ db: any SQLDatabase, entity: String, id: RecordID, schema: Schema) async throws -> RecordView? {
        guard let row = try await SQLRow.fetchOne(db, sql: AdminSQL.recordWithSequence, arguments: [entity, id]) else {
            return nil
        }
        let state = try ServerJSON.decode(RecordState.self, from: row["state"])
        return RecordView(state: state, policy: schema.entity(entity)?.deletionPolicy ?? .updateWins, sequence: row["updated_seq"])
    }

    /// Refuses an admin edit that would point a reference at a record that is not live.
    static func checkReferences(of edit: ServerEdit, schema: Schema, _ db: any SQLDatabase) async throws {
        guard let entity = schema.entity(edit.entity) else { return }
        for operation in edit.operations {
            guard case .assign(.string(let target)) = operation.operation,
                let targetEntity = entity.field(operation.field)?.type.referencedEntity
            else { continue }
            guard try await isLive(entity: targetEntity, id: target, db) == true else {
                throw ServerError(.invalidRequest, .referenceMustBeLive, ["field": operation.field, "entity": targetEntity, "id": target])
            }
        }
    }

    /// Writes edits as the server replica: each gets the next server dot and HLC and the
    /// record's version as context, is merged, logged and checked for conflicts like any change.
    static func writeServerEdits(_ edits: [ServerEdit], author: ChangeAuthor, schema: Schema, _ db: any SQLDatabase) async throws -> [LogSequence] {
        var meta = try await meta(db)
        var clock = HybridClock(last: meta.hlc)
        var sequences: [LogSequence] = []
        for edit in edits {
            guard let record = try await loadRecord(db, entity: edit.entity, id: edit.id) else {
                throw ServerError(.notFound, .recordNotOnServer, ["entity": edit.entity, "id": edit.id])
            }
            let change = Change(
                entity: edit.entity, recordID: edit.id, dot: Dot(replica: meta.replica, counter: meta.dotCounter + 1),
                hlc: clock.tick(physical: author.receivedAt), context: record.version, operations: edit.operations
            )
            do throws(ValidationError) {
                try schema.validate(change, allowReadOnly: true)
            } catch {
                throw ServerError(.invalidRequest, refusal: error.refusal)
            }
            guard case .apply(let outcome) = ChangeAdmission.decide(change, record: record, isLogged: false) else {
                throw ServerError(.internalError, .ownWriteUnmergedRecord, ["entity": edit.entity, "id": edit.id])
            }
            meta.dotCounter += 1
            sequences.append(try await store(outcome, of: change, previous: record, author: author, schema: schema, db))
        }
        meta.hlc = clock.last
        try await saveMeta(meta, db)
        return sequences
    }

    /// Marks entries resolved by an admin's decision, settled against the records as the
    /// decision left them; `outcome` replaces the described outcome.
    static func markResolvedByAdmin(
        _ ids: [Int64], admin: ChangeAuthor, sequence: LogSequence?, resolution: String, outcome: String? = nil, schema: Schema, _ db: any SQLDatabase
    ) async throws {
        for id in ids {
            try await close(
                try await conflictEntry(id: id, db), as: .resolvedByAdmin, at: admin.receivedAt, sequence: sequence, by: admin.user,
                resolution: resolution, outcome: outcome, schema: schema, db
            )
        }
    }

    static func mergeDuplicates(_ request: DuplicateMergeRequest, by admin: ChangeAuthor, schema: Schema, _ db: any SQLDatabase) async throws -> DuplicateMergeResult {
        guard DuplicateKeys.entities.contains(request.entity) else {
            throw ServerError(.invalidRequest, .onlyCustomersMerge, ["entities": DuplicateKeys.entities.sorted().joined(separator: ", ")])
        }
        guard let survivor = try await loadRecord(db, entity: request.entity, id: request.survivor) else {
            throw ServerError(.notFound, .recordNotOnServer, ["entity": request.entity, "id": request.survivor])
        }
        guard let duplicate = try await loadRecord(db, entity: request.entity, id: request.duplicate) else {
            throw ServerError(.notFound, .recordNotOnServer, ["entity": request.entity, "id": request.duplicate])
        }
        let referrers = try await SQLRow.fetchAll(
            db,
            sql: ConflictLogSQL.liveReferrers,
            arguments: [request.entity, request.duplicate]
        ).map { (record: RecordReference(entity: $0["entity"], id: $0["record_id"]), field: $0["field"] as String) }
        let plan = try DuplicateMerge.plan(survivor: survivor, duplicate: duplicate, referrers: referrers, choices: request.fields ?? [:], schema: schema)
        let pair = try await Int64.fetchAll(
            db,
            sql: AdminSQL.openDuplicatePair,
            arguments: [ConflictKind.probableDuplicate.rawValue, request.entity, request.survivor, request.duplicate, request.duplicate, request.survivor]
        )
        let sequences = try await writeServerEdits(plan.edits, author: admin, schema: schema, db)
        let describer = ConflictDescriber(db: db, schema: schema)
        let outcome = "merged \(describer.label(of: duplicate) ?? request.duplicate) into \(describer.label(of: survivor) ?? request.survivor)"
        var words = "merged \(request.duplicate) into \(request.survivor)"
        if let note = request.note, !note.isEmpty { words += " — \(note)" }
        try await markResolvedByAdmin(pair, admin: admin, sequence: sequences.last, resolution: words, outcome: outcome, schema: schema, db)
        var repointed: [RecordReference] = []
        for referrer in referrers where !repointed.contains(referrer.record) {
            repointed.append(referrer.record)
        }
        return DuplicateMergeResult(
            survivor: RecordReference(entity: request.entity, id: request.survivor),
            duplicate: RecordReference(entity: request.entity, id: request.duplicate),
            repointed: repointed, filledFields: plan.filled, closedConflicts: pair, sequences: sequences
        )
    }
}

/// Conflict counts for `/metrics`.
public struct ConflictStatistics: Sendable, Hashable {
    /// How long an open entry has been open.
    public enum AgeBucket: String, Sendable, Hashable, CaseIterable {
        case underOneHour = "lt_1h"
        case underOneDay = "1h_to_1d"
        case underOneWeek = "1d_to_7d"
        case overOneWeek = "gt_7d"

        public init(age milliseconds: Int64) {
            switch milliseconds {
            case ..<3_600_000: self = .underOneHour
            case ..<86_400_000: self = .underOneDay
            case ..<604_800_000: self = .underOneWeek
            default: self = .overOneWeek
            }
        }
    }

    public struct OpenKey: Sendable, Hashable {
        public var entity: String
        public var age: AgeBucket
    }

    public struct EntryKey: Sendable, Hashable {
        public var kind: String
        public var status: String
    }

    /// Open entries by entity and age.
    public var open: [OpenKey: Int] = [:]
    /// Every entry ever, by kind and status.
    public var entries: [EntryKey: Int] = [:]
    /// Changes in the log.
    public var changes = 0

    public init() {}

    /// Conflict-log entries per 1,000 logged changes.
    public var ratePerThousandChanges: Double {
        changes == 0 ? 0 : Double(entries.values.reduce(0, +)) * 1000 / Double(changes)
    }
}


/// The statements of SQLServerStorage+Admin.swift, written for each backend (`SQLCatalog`).
enum AdminSQL: SQLCatalog {
    /// conflictList: the filter ($1…$8, `conflictFilter`), $9 the limit, $10 the offset.
    /// conflictGroup: the filter, $9 the column to count by: status, entity, territory or kind (a
    /// NULL territory counts as none).
    case conflictList, conflictCount, conflictGroup
    case allConflicts, conflictByID, conflictStatus, dismissConflict, recordAudit, openConflictAges, conflictCounts, recordLogged, recordIDsWithPrefix, recordHistoryThrough, recordHistory, recordWithSequence, openDuplicatePair, changesOfEntity

    var statement: SQLStatement {
        switch self {
        case .conflictList: Self.conflictListStatement
        case .conflictCount: Self.conflictCountStatement
        case .conflictGroup: Self.conflictGroupStatement
        case .allConflicts: "SELECT * FROM conflicts WHERE ($1 = 0 OR status = 'open') ORDER BY id"
        case .conflictByID: "SELECT * FROM conflicts WHERE id = $1"
        case .conflictStatus: "SELECT status FROM conflicts WHERE id = $1"
        case .dismissConflict: "UPDATE conflicts SET status = 'dismissed', closed_at = $1, closed_by = $2, resolution = $3 WHERE id = $4 AND status = 'open'"
        case .recordAudit:
            """
            SELECT c.seq, c.change, c.user, c.device, c.received_at, d.name AS device_name
            FROM change_log c LEFT JOIN devices d ON d.replica = c.device
            WHERE c.entity = $1 AND c.record_id = $2 ORDER BY c.seq
            """
        case .openConflictAges: "SELECT entity, opened_at FROM conflicts WHERE status = 'open'"
        case .conflictCounts: "SELECT kind, status, COUNT(*) AS n FROM conflicts GROUP BY kind, status"
        case .recordLogged: "SELECT EXISTS (SELECT 1 FROM change_log WHERE entity = $1 AND record_id = $2)"
        case .recordIDsWithPrefix: "SELECT DISTINCT record_id FROM change_log WHERE entity = $1 AND record_id LIKE $2 ESCAPE '\\' ORDER BY record_id LIMIT 6"
        case .recordHistoryThrough: "SELECT seq, change FROM change_log WHERE entity = $1 AND record_id = $2 AND seq <= $3 ORDER BY seq"
        case .recordHistory: "SELECT seq, change FROM change_log WHERE entity = $1 AND record_id = $2 ORDER BY seq"
        case .recordWithSequence: "SELECT state, updated_seq FROM records WHERE entity = $1 AND id = $2"
        case .openDuplicatePair:
            """
            SELECT id FROM conflicts WHERE status = 'open' AND kind = $1 AND entity = $2
            AND ((record_id = $3 AND related_id = $4) OR (record_id = $5 AND related_id = $6))
            """
        case .changesOfEntity: "SELECT change FROM change_log WHERE entity = $1 ORDER BY seq"
        }
    }

    /// Every filter of the conflict list as one fixed condition: an absent filter binds NULL
    /// and matches everything, so no SQL text depends on the request. Parameters: $1 statuses
    /// (JSON array), $2 entity, $3 kind, $4 territory, $5 user, $6 opened at or before, $7 opened
    /// at or after, $8 a LIKE pattern. Each is cast where it is tested for NULL: a NULL bound
    /// to PostgreSQL has no type of its own.
    private static func conflictFilter(_ dialect: SQLDialect) -> String {
        """
        (CAST($1 AS TEXT) IS NULL OR status IN (SELECT value FROM \(dialect.jsonElements("$1"))))
        AND (CAST($2 AS TEXT) IS NULL OR entity = $2)
        AND (CAST($3 AS TEXT) IS NULL OR kind = $3)
        AND (CAST($4 AS TEXT) IS NULL OR lower(territory) = lower($4))
        AND (CAST($5 AS TEXT) IS NULL OR opened_by = $5 OR EXISTS (SELECT 1 FROM \(dialect.jsonElements("conflicts.users")) WHERE value = $5))
        AND (CAST($6 AS BIGINT) IS NULL OR opened_at <= $6)
        AND (CAST($7 AS BIGINT) IS NULL OR opened_at >= $7)
        AND (CAST($8 AS TEXT) IS NULL OR lower(COALESCE(record_label, '')) LIKE $8 ESCAPE '\\' OR lower(record_id) LIKE $8 ESCAPE '\\'
             OR lower(competitors) LIKE $8 ESCAPE '\\' OR lower(COALESCE(reason, '')) LIKE $8 ESCAPE '\\')
        """
    }

    private static let conflictListStatement = SQLStatement { dialect in
        "SELECT * FROM conflicts WHERE " + conflictFilter(dialect) + " ORDER BY opened_at DESC, id DESC LIMIT $9 OFFSET $10"
    }

    private static let conflictCountStatement = SQLStatement { dialect in
        "SELECT COUNT(*) FROM conflicts WHERE " + conflictFilter(dialect)
    }

    private static let conflictGroupStatement = SQLStatement { dialect in
        """
        SELECT CASE $9 WHEN 'status' THEN status WHEN 'entity' THEN entity WHEN 'territory' THEN territory ELSE kind END AS name, COUNT(*) AS n
        FROM conflicts WHERE
        """ + "\n" + conflictFilter(dialect) + "\nGROUP BY name"
    }
}
