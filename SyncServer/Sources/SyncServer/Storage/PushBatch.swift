import CRM
import SyncCore

/// A push's transaction on PostgreSQL with its per-change statements run once per push: what
/// `apply` hands the shared push code instead of the bare database. Every statement on
/// PostgreSQL is one round trip, so a push costs what it runs statements; SQLite, whose
/// statements run in-process, keeps running them one by one.
///
/// - **Read ahead.** Once the push holds its records' locks, one statement reads every change's
///   admission (is its dot logged, its record's stored row). From those the batch merges each
///   change as the loop will and takes the merge locks they need (`MergeLock.reads`) in one
///   statement; then one statement reads the rows of the records the changes name or refer to,
///   and, for each record the push merges into, whether an open conflict-log entry touches it;
///   and one the customers holding each duplicate key the merged customers have.
/// - **Answer from memory.** The loop's admission, record, territory, liveness and duplicate-key
///   reads are answered from what was read, with the push's own writes laid over it; the open
///   entries of a record none touches are not looked up; a merge lock the push holds is not
///   asked again.
/// - **Write behind.** Log entries with their records, and a record's reference and
///   duplicate-key rows (replaced as a whole), wait in the batch and go in one statement
///   (`flush`) just before the next statement of any other kind, and at the end of the push:
///   every statement still sees every write made before it, as when each ran at once.
///
/// Why reading ahead reads what the loop would have: everything read is under a lock the push
/// holds from before the read until COMMIT — a record it merges into (exclusive), a record a
/// change names or refers to (shared), a customer's duplicate keys (exclusive) — so no other
/// push changes it in between, and writes that keep the log to themselves wait for the whole
/// push (the log's lock); what the push itself writes is laid over what was read. A change
/// whose merge locks were not all taken ahead (one merging into a record an earlier change of
/// the push moved) takes the rest itself, as before; records it reads that were not read ahead
/// are read from the database. What a conflict-log entry displays of records the push does not
/// lock was never locked (see `MergeLock`).
final class PushBatch: SQLDatabase {
    /// The push's transaction.
    let base: any SQLDatabase
    let schema: Schema

    /// The rows read ahead and written since, by record: a nil state is a record the server
    /// does not have.
    private var records: [RecordKey: KnownRecord] = [:]
    /// Whether each pushed dot is logged, read ahead and set as the push logs it.
    private var logged: [Dot: Bool] = [:]
    /// For each record the push merges into, whether an open conflict-log entry may touch it:
    /// read ahead, and set when the push opens one.
    private var openEntries: [RecordKey: Bool] = [:]
    /// The customers holding each duplicate key read ahead, as read.
    private var keyHolders: [DuplicateKeyRow.Key: Set<RecordID>] = [:]
    /// The duplicate-key rows of each customer whose rows the push replaced, as it left them.
    private var replacedKeys: [RecordKey: [DuplicateKeyRow]] = [:]
    /// The merge locks the push holds (an exclusive lock serves a shared request too).
    private var exclusiveLocks: Set<String> = []
    private var sharedLocks: Set<String> = []

    /// Writes waiting for the next flush, in order.
    private var appends: [Append] = []
    private var references: [RecordKey: [ReferenceRow]] = [:]
    private var duplicateKeys: Set<RecordKey> = []
    /// The sequences the flushes were given, by dot.
    private var sequences: [Dot: LogSequence] = [:]

    init(_ base: any SQLDatabase, schema: Schema) {
        self.base = base
        self.schema = schema
    }

    var dialect: SQLDialect { base.dialect }
    var changesCount: Int { base.changesCount }

    func enterCommitOrder() {
        base.enterCommitOrder()
    }

    func fetchRows(_ statement: SQLStatement, values: [SQLValue]) async throws -> [SQLRow] {
        try await flush()
        return try await base.fetchRows(statement, values: values)
    }

    func executeStatement(_ statement: SQLStatement, values: [SQLValue]) async throws {
        try await flush()
        try await base.executeStatement(statement, values: values)
    }

    // MARK: Reading ahead

    /// Reads the rows of these records: a server write's, which makes its changes from them
    /// (`SQLServerStorage.storeServerWrites`) before it can read ahead for those changes.
    func readRecords(_ keys: [RecordKey]) async throws {
        let asked = Set(keys).sorted().map { FactsKey(entity: $0.entity, id: $0.id, pushed: 0) }
        for row in try await base.fetchRows(PushBatchSQL.recordFacts.statement, values: [.text(try ServerJSON.encodeString(asked))]) {
            records[RecordKey(row["entity"], row["id"])] = try KnownRecord(row: row)
        }
    }

    /// Reads the admissions of `changes`, takes the merge locks their merges need and reads
    /// the records they name or refer to (see the type's comment). The push's exclusive locks
    /// on the records it merges into are held already.
    func readAhead(_ changes: [Change]) async throws {
        guard !changes.isEmpty else { return }
        let admissions = changes.enumerated().map { index, change in
            AdmissionKey(ord: index, replica: change.dot.replica.rawValue, counter: Int64(clamping: change.dot.counter), entity: change.entity, id: change.recordID)
        }
        for row in try await base.fetchRows(PushBatchSQL.admissions.statement, values: [.text(try ServerJSON.encodeString(admissions))]) {
            let change = changes[row["ord"] as Int]
            logged[change.dot] = row["logged"]
            records[RecordKey(change.entity, change.recordID)] = try KnownRecord(row: row)
        }
        // The locks the loop will ask for each change, as if each were the first of the push to
        // merge into its record (the loop takes what a later one needs beyond these).
        var exclusive: [String] = []
        var shared: [String] = []
        var read: Set<RecordKey> = []
        var keys: Set<DuplicateKeyRow.Key> = []
        for change in changes {
            let previous = records[RecordKey(change.entity, change.recordID)]?.state
            var merged: RecordState?
            if case .apply(let outcome) = ChangeAdmission.decide(change, record: previous, isLogged: logged[change.dot] ?? false) {
                merged = outcome.state
            }
            let locks = MergeLock.reads(of: change, previous: previous, merged: merged, schema: schema)
            exclusive += locks.exclusive
            shared += locks.shared
            read.formUnion(MergeLock.readRecords(of: change, previous: previous, merged: merged, schema: schema).map { RecordKey($0.entity, $0.id) })
            if let merged {
                keys.formUnion(DuplicateKeys.keys(of: merged).map { DuplicateKeyRow.Key(entity: merged.entity, kind: $0.kind.rawValue, key: $0.key) })
            }
        }
        try await MergeLock.take(exclusive: exclusive, shared: shared, self)
        let pushed = Set(changes.map { RecordKey($0.entity, $0.recordID) })
        let asked = pushed.union(read).sorted().map { key in
            FactsKey(entity: key.entity, id: key.id, pushed: pushed.contains(key) ? 1 : 0)
        }
        for row in try await base.fetchRows(PushBatchSQL.recordFacts.statement, values: [.text(try ServerJSON.encodeString(asked))]) {
            let key = RecordKey(row["entity"], row["id"])
            if pushed.contains(key) {
                openEntries[key] = row["open_entries"]
            } else {
                records[key] = try KnownRecord(row: row)
            }
        }
        guard !keys.isEmpty else { return }
        for key in keys { keyHolders[key] = [] }
        let asking = keys.sorted { ($0.entity, $0.kind, $0.key) < ($1.entity, $1.kind, $1.key) }
        for row in try await base.fetchRows(PushBatchSQL.keyHolders.statement, values: [.text(try ServerJSON.encodeString(asking))]) {
            guard let holder = row["record_id"] as RecordID? else { continue }
            keyHolders[DuplicateKeyRow.Key(entity: row["entity"], kind: row["kind"], key: row["key"])]?.insert(holder)
        }
    }

    // MARK: Answers from memory

    /// A change's admission, when it was read ahead: the record as stored (with the push's own
    /// writes) and whether its dot is logged.
    func admission(of change: Change) -> (record: RecordState?, isLogged: Bool)? {
        guard let isLogged = logged[change.dot], let known = records[RecordKey(change.entity, change.recordID)] else { return nil }
        return (known.state, isLogged)
    }

    /// The row of a record that was read ahead or written by the push; nil when the database
    /// must be asked.
    func knownRecord(_ entity: String, _ id: RecordID) -> KnownRecord? {
        records[RecordKey(entity, id)]
    }

    /// False only when no open conflict-log entry can touch the record (as its `entity` and
    /// `record_id`, or as the record it is related to): none did when read ahead and the push
    /// opened none touching it since.
    func mayHaveOpenEntries(_ entity: String, _ id: RecordID) -> Bool {
        openEntries[RecordKey(entity, id)] ?? true
    }

    /// An entry opened for `record` (related to `related`): both may have open entries now.
    func noteEntryOpened(for record: RecordReference, related: RecordReference?) {
        for touched in [record, related].compactMap({ $0 }) where openEntries[RecordKey(touched.entity, touched.id)] != nil {
            openEntries[RecordKey(touched.entity, touched.id)] = true
        }
    }

    /// The customers of `entity` holding a duplicate key (`ConflictLogSQL.recordsWithKey`
    /// without the record asking), when the key was read ahead: as read, with the rows the
    /// push replaced since laid over it.
    func holders(of key: DuplicateKeyRow.Key) -> Set<RecordID>? {
        guard let read = keyHolders[key] else { return nil }
        var holders = read.filter { replacedKeys[RecordKey(key.entity, $0)] == nil }
        for (record, rows) in replacedKeys where record.entity == key.entity && rows.contains(where: { $0.kind == key.kind && $0.key == key.key }) {
            holders.insert(record.id)
        }
        return holders
    }

    /// The merge locks among these that the push does not hold yet, now counted as held.
    func locksToTake(exclusive: [String], shared: [String]) -> (exclusive: [String], shared: [String]) {
        let newExclusive = Set(exclusive).subtracting(exclusiveLocks)
        exclusiveLocks.formUnion(newExclusive)
        let newShared = Set(shared).subtracting(exclusiveLocks).subtracting(sharedLocks)
        sharedLocks.formUnion(newShared)
        return (newExclusive.sorted(), newShared.sorted())
    }

    // MARK: Writing behind

    /// Queues a log entry and its record (the values of `SyncSQL.appendLog` and of the record's
    /// columns); the record's row is known from now on.
    func append(entry: [any SQLBindable], dot: Dot, record: MaterializedRecord, state: String) {
        appends.append(Append(dot: dot, entry: entry.map(\.sqlValue), state: state, record: record))
        logged[dot] = true
        records[RecordKey(record.state.entity, record.state.id)] = KnownRecord(state: record.state, territory: record.territory, isDeleted: record.isDeleted)
    }

    /// Replaces a record's `record_references` rows with these (none: deletes them).
    func replaceReferences(of entity: String, _ id: RecordID, with rows: [ReferenceRow]) {
        references[RecordKey(entity, id)] = rows
    }

    /// Replaces a customer's `duplicate_keys` rows with these (none: deletes them).
    func replaceDuplicateKeys(of entity: String, _ id: RecordID, with rows: [DuplicateKeyRow]) {
        replacedKeys[RecordKey(entity, id)] = rows
        duplicateKeys.insert(RecordKey(entity, id))
    }

    /// The sequence the log gave `dot`, writing what waits first.
    func sequence(of dot: Dot) async throws -> LogSequence {
        try await flush()
        guard let sequence = sequences[dot] else {
            throw ServerError(.internalError, .logNoSequence)
        }
        return sequence
    }

    /// Writes what waits, in one statement: the log entries (their sequences handed out in
    /// queue order), the records (the last state of each), the reference and duplicate-key
    /// rows of the records whose rows were replaced.
    func flush() async throws {
        guard !appends.isEmpty || !references.isEmpty || !duplicateKeys.isEmpty else { return }
        let entries = try appends.enumerated().map { index, append in try append.row(ord: index) }
        let referenced = references.keys.sorted()
        let keyed = duplicateKeys.sorted()
        let values: [SQLValue] = [
            .text(try ServerJSON.encodeString(entries)),
            .text(try ServerJSON.encodeString(referenced.map { ReplacedRows(entity: $0.entity, recordID: $0.id) })),
            .text(try ServerJSON.encodeString(referenced.flatMap { references[$0] ?? [] })),
            .text(try ServerJSON.encodeString(keyed.map { ReplacedRows(entity: $0.entity, recordID: $0.id) })),
            .text(try ServerJSON.encodeString(keyed.flatMap { replacedKeys[$0] ?? [] })),
        ]
        let written = appends
        appends = []
        references = [:]
        duplicateKeys = []
        let rows = try await base.fetchRows(PushBatchSQL.write.statement, values: values)
        guard rows.count == written.count else {
            throw ServerError(.internalError, .logNoSequence)
        }
        for row in rows {
            let ord: Int = row["ord"]
            guard written.indices.contains(ord) else {
                throw ServerError(.internalError, .logNoSequence)
            }
            sequences[written[ord].dot] = row["seq"]
        }
    }
}

/// A record by entity and id.
struct RecordKey: Hashable, Comparable {
    var entity: String
    var id: RecordID

    init(_ entity: String, _ id: RecordID) {
        self.entity = entity
        self.id = id
    }

    static func < (left: RecordKey, right: RecordKey) -> Bool {
        (left.entity, left.id) < (right.entity, right.id)
    }
}

/// A record's stored row as a push sees it: nil state when the server does not have it.
struct KnownRecord {
    var state: RecordState?
    var territory: String?
    var isDeleted: Bool

    init(state: RecordState?, territory: String?, isDeleted: Bool) {
        self.state = state
        self.territory = territory
        self.isDeleted = isDeleted
    }

    /// From a read-ahead row's `state`, `territory` and `deleted` (NULL: no such record).
    init(row: SQLRow) throws {
        state = try (row["state"] as String?).map { try ServerJSON.decode(RecordState.self, from: $0) }
        territory = row["territory"]
        isDeleted = (row["deleted"] as Int64?) == 1
    }
}

/// A queued log entry with its record.
private struct Append {
    var dot: Dot
    var entry: [SQLValue]
    var state: String
    var record: MaterializedRecord

    /// The entry and record as one object of `PushBatchSQL.write`'s `$1`.
    func row(ord: Int) throws -> [String: JSONScalar] {
        let names = ["replica", "counter", "entity", "record_id", "change", "user", "device", "received_at", "scope_before", "scope_after", "scope_global"]
        guard entry.count == names.count else { throw ServerError(.internalError, .logNoSequence) }
        var row: [String: JSONScalar] = ["ord": .integer(Int64(ord))]
        for (name, value) in zip(names, entry) { row[name] = JSONScalar(value) }
        row["state"] = .text(state)
        row["territory"] = record.territory.map(JSONScalar.text) ?? .null
        row["account_id"] = record.accountID.map(JSONScalar.text) ?? .null
        row["deleted"] = .integer(record.isDeleted ? 1 : 0)
        row["priority_due"] = record.priorityDue.map(JSONScalar.text) ?? .null
        row["priority_day"] = record.priorityDay.map(JSONScalar.text) ?? .null
        return row
    }
}

/// A bound value as a JSON scalar, for the batch's JSON parameters.
enum JSONScalar: Encodable {
    case null
    case integer(Int64)
    case text(String)

    init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let integer): self = .integer(integer)
        case .text(let text): self = .text(text)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let integer): try container.encode(integer)
        case .text(let text): try container.encode(text)
        }
    }
}

/// A `record_references` row (`ConflictLogSQL.insertReference`).
struct ReferenceRow: Encodable {
    var entity: String
    var recordID: String
    var field: String
    var targetEntity: String
    var targetID: String

    enum CodingKeys: String, CodingKey {
        case entity, field
        case recordID = "record_id", targetEntity = "target_entity", targetID = "target_id"
    }
}

/// A `duplicate_keys` row (`ConflictLogSQL.insertDuplicateKey`).
struct DuplicateKeyRow: Encodable {
    var entity: String
    var recordID: String
    var kind: String
    var key: String

    enum CodingKeys: String, CodingKey {
        case entity, kind, key
        case recordID = "record_id"
    }

    /// A duplicate key of an entity.
    struct Key: Hashable, Encodable {
        var entity: String
        var kind: String
        var key: String
    }
}

/// A record whose derived rows of one kind the batch replaces.
private struct ReplacedRows: Encodable {
    var entity: String
    var recordID: String

    enum CodingKeys: String, CodingKey {
        case entity
        case recordID = "record_id"
    }
}

/// A change's admission to read ahead.
private struct AdmissionKey: Encodable {
    var ord: Int
    var replica: String
    var counter: Int64
    var entity: String
    var id: String
}

/// A record to read ahead; `pushed`: the push merges into it (whether an open entry touches it
/// is read too).
private struct FactsKey: Encodable {
    var entity: String
    var id: String
    var pushed: Int
}

/// The statements of a push's batch, PostgreSQL's only. Each takes its rows as one JSON array
/// of objects (`json_to_recordset`), so a push of any size is one statement.
enum PushBatchSQL: SQLCatalog {
    case admissions, recordFacts, keyHolders, write

    var statement: SQLStatement {
        switch self {
        case .admissions:
            // `SyncSQL.admission` for each change: its dot logged, its record's row.
            SQLStatement(sqlite: nil, postgres: """
                SELECT i.ord, EXISTS (SELECT 1 FROM change_log c WHERE c.replica = i.replica AND c.counter = i.counter) AS logged,
                    r.state, r.territory, r.deleted
                FROM json_to_recordset(CAST($1 AS json)) AS i(ord bigint, replica text, counter bigint, entity text, id text)
                LEFT JOIN records r ON r.entity = i.entity AND r.id = i.id
                ORDER BY i.ord
                """)
        case .recordFacts:
            // Each record's row; for those the push merges into (pushed = 1): whether an open
            // entry touches it (`ConflictLogSQL.openEntriesTouching`).
            SQLStatement(sqlite: nil, postgres: """
                SELECT k.entity, k.id, r.state, r.territory, r.deleted,
                    k.pushed = 1 AND (
                        EXISTS (SELECT 1 FROM conflicts c WHERE c.entity = k.entity AND c.record_id = k.id AND c.status = 'open')
                        OR EXISTS (SELECT 1 FROM conflicts c WHERE c.related_entity = k.entity AND c.related_id = k.id AND c.status = 'open')
                    ) AS open_entries
                FROM json_to_recordset(CAST($1 AS json)) AS k(entity text, id text, pushed bigint)
                LEFT JOIN records r ON r.entity = k.entity AND r.id = k.id
                """)
        case .keyHolders:
            // `ConflictLogSQL.recordsWithKey` for each key: a row per holder, one with a NULL
            // holder for a key nobody holds.
            SQLStatement(sqlite: nil, postgres: """
                SELECT k.entity, k.kind, k.key, d.record_id
                FROM json_to_recordset(CAST($1 AS json)) AS k(entity text, kind text, key text)
                LEFT JOIN duplicate_keys d ON d.entity = k.entity AND d.kind = k.kind AND d.key = k.key
                """)
        case .write:
            // $1: log entries with their records (`SyncSQL.appendLogAndRecord` for each, the
            // sequences handed out in `ord` order; a record written twice keeps its last
            // state). $2: the records whose reference rows become $3 (their other rows are
            // deleted, the rest upserted: the two touch different rows, as one statement's parts
            // must); $4 and $5 the same for duplicate keys. Returns each entry's sequence.
            SQLStatement(sqlite: nil, postgres: """
                WITH input AS (
                    SELECT * FROM json_to_recordset(CAST($1 AS json)) AS i(
                        ord bigint, replica text, counter bigint, entity text, record_id text, change text, "user" text, device text,
                        received_at bigint, scope_before text, scope_after text, scope_global bigint,
                        state text, territory text, account_id text, deleted bigint, priority_due text, priority_day text)
                ),
                logged AS (
                    INSERT INTO change_log (replica, counter, entity, record_id, change, "user", device, received_at,
                                            scope_before, scope_after, scope_global)
                    SELECT replica, counter, entity, record_id, change, "user", device, received_at, scope_before, scope_after, scope_global
                    FROM input ORDER BY ord
                    RETURNING seq, replica, counter
                ),
                stored AS (
                    INSERT INTO records (entity, id, state, territory, account_id, deleted, priority_due, priority_day, updated_seq)
                    SELECT DISTINCT ON (i.entity, i.record_id)
                        i.entity, i.record_id, i.state, i.territory, i.account_id, i.deleted, i.priority_due, i.priority_day, l.seq
                    FROM input i JOIN logged l ON l.replica = i.replica AND l.counter = i.counter
                    ORDER BY i.entity, i.record_id, i.ord DESC
                    ON CONFLICT (entity, id) DO UPDATE SET
                        state = excluded.state, territory = excluded.territory, account_id = excluded.account_id,
                        deleted = excluded.deleted, priority_due = excluded.priority_due, priority_day = excluded.priority_day,
                        updated_seq = excluded.updated_seq
                ),
                reference_rows AS (
                    SELECT * FROM json_to_recordset(CAST($3 AS json))
                        AS x(entity text, record_id text, field text, target_entity text, target_id text)
                ),
                unreferenced AS (
                    DELETE FROM record_references x
                    USING json_to_recordset(CAST($2 AS json)) AS replaced(entity text, record_id text)
                    WHERE x.entity = replaced.entity AND x.record_id = replaced.record_id
                        AND NOT EXISTS (SELECT 1 FROM reference_rows n
                                        WHERE n.entity = x.entity AND n.record_id = x.record_id AND n.field = x.field)
                ),
                referenced AS (
                    INSERT INTO record_references (entity, record_id, field, target_entity, target_id)
                    SELECT entity, record_id, field, target_entity, target_id FROM reference_rows
                    ON CONFLICT (entity, record_id, field) DO UPDATE SET
                        target_entity = excluded.target_entity, target_id = excluded.target_id
                ),
                key_rows AS (
                    SELECT * FROM json_to_recordset(CAST($5 AS json)) AS d(entity text, record_id text, kind text, key text)
                ),
                unkeyed AS (
                    DELETE FROM duplicate_keys d
                    USING json_to_recordset(CAST($4 AS json)) AS replaced(entity text, record_id text)
                    WHERE d.entity = replaced.entity AND d.record_id = replaced.record_id
                        AND NOT EXISTS (SELECT 1 FROM key_rows n
                                        WHERE n.entity = d.entity AND n.record_id = d.record_id AND n.kind = d.kind)
                ),
                keyed AS (
                    INSERT INTO duplicate_keys (entity, record_id, kind, key)
                    SELECT entity, record_id, kind, key FROM key_rows
                    ON CONFLICT (entity, record_id, kind) DO UPDATE SET key = excluded.key
                )
                SELECT i.ord, l.seq FROM logged l JOIN input i ON i.replica = l.replica AND i.counter = l.counter ORDER BY i.ord
                """)
        }
    }
}
