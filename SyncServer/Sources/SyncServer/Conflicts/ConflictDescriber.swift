import CRM
import SyncCore

/// Describes a conflict for people: the competing values with their authors (user, device,
/// HLC, server receive time, from the log), the displayed winner, the users involved, the
/// record's territory and label. Runs inside a database access of a SQL store.
struct ConflictDescriber {
    let db: any SQLDatabase
    let schema: Schema
    /// A record's state as the caller's transaction just wrote it, read from here instead of
    /// the database (where it is the same state).
    var written: RecordState?

    struct Description {
        var competitors: [CompetingValue] = []
        var displayed: String?
        var users: [String] = []
        var territory: String?
        var recordLabel: String?
        var reason: String?
    }

    func describe(_ key: ConflictKey, related: RecordReference?) async throws -> Description {
        var description = Description()
        let record = try await loadRecord(key.entity, id: key.recordID)
        if let record {
            description.territory = try await territory(of: record)
            description.recordLabel = label(of: record)
        }
        switch key.kind {
        case .concurrentValues:
            guard let register = record?.fields[key.field]?.register else { break }
            let winner = register.winner
            let siblings = register.siblings.sorted(by: Sibling.displayOrder).reversed()
            let authors = try await authors(of: siblings.map(\.dot))
            for sibling in siblings {
                description.competitors.append(CompetingValue(
                    entity: key.entity, recordID: key.recordID, field: key.field, value: sibling.value,
                    label: try await valueLabel(sibling.value, field: key.field, entity: key.entity), dot: sibling.dot, hlc: sibling.hlc,
                    author: Self.author(of: sibling.dot, in: authors), isDisplayed: sibling == winner
                ))
            }
            if let winner { description.displayed = try await valueLabel(winner.value, field: key.field, entity: key.entity) }
            description.reason = "\(register.siblings.count) concurrent values of \(key.field)"
        case .deleteVsEdit:
            guard let record else { break }
            let policy = schema.entity(key.entity)?.deletionPolicy ?? .updateWins
            let isDeleted = record.isDeleted(policy: policy)
            description.competitors = try await existenceCompetitors(of: record, isDeleted: isDeleted)
            description.displayed = isDeleted ? "deleted" : "kept"
            description.reason = "a delete met an edit its writer had not seen (\(policy == .updateWins ? "the edit wins" : "the delete wins"))"
        case .orphanReference:
            guard let record, let related else { break }
            if let register = record.fields[key.field]?.register, let winner = register.winner {
                let target = try await valueLabel(winner.value, field: key.field, entity: key.entity)
                description.competitors.append(CompetingValue(
                    entity: key.entity, recordID: key.recordID, field: key.field, value: winner.value,
                    label: "\(key.field) → \(target)",
                    dot: winner.dot, hlc: winner.hlc, author: try await author(of: winner.dot), isDisplayed: true
                ))
            }
            if let target = try await loadRecord(related.entity, id: related.id) {
                let policy = schema.entity(related.entity)?.deletionPolicy ?? .updateWins
                let deletes = target.existence.siblings.filter { $0.value == .bool(false) }
                for sibling in deletes {
                    description.competitors.append(CompetingValue(
                        entity: related.entity, recordID: related.id, field: "", value: sibling.value,
                        label: "deleted \(related.entity) \(label(of: target).map { "'\($0)'" } ?? related.id)",
                        dot: sibling.dot, hlc: sibling.hlc, author: try await author(of: sibling.dot),
                        isDisplayed: target.isDeleted(policy: policy)
                    ))
                }
                description.reason = "\(key.field) names \(related.entity) \(label(of: target).map { "'\($0)'" } ?? related.id), which was deleted"
            } else {
                description.reason = "\(key.field) names \(related.entity) \(related.id), which is not on the server"
            }
            description.displayed = "reference kept"
        case .probableDuplicate:
            guard let related else { break }
            for reference in [RecordReference(entity: key.entity, id: key.recordID), related] {
                // Every stored record came from a logged change, so its creation is in the log.
                guard let state = try await loadRecord(reference.entity, id: reference.id),
                    let creation = try await firstChange(of: reference)
                else { continue }
                description.competitors.append(CompetingValue(
                    entity: reference.entity, recordID: reference.id, field: "", value: state.value(of: "name"),
                    label: customerLabel(state), dot: creation.dot, hlc: creation.hlc, author: try await author(of: creation.dot),
                    isDisplayed: true
                ))
            }
            let shared = try await ServerRows.sharedKeys(entity: key.entity, key.recordID, related.id, db)
            if !shared.isEmpty { description.reason = DuplicateKeys.reason(shared) }
            description.displayed = "both records kept"
        }
        var users: [String] = []
        for user in description.competitors.compactMap(\.author.user) where !users.contains(user) {
            users.append(user)
        }
        description.users = users
        return description
    }

    /// An entry as it closes: the competing values it last showed, each marked displayed when
    /// the outcome kept it (its value is the field's value now, its record survived, the delete
    /// stands), and the outcome in `displayed` (the field's value now, "kept" or "deleted", or
    /// `words` for a reference or a duplicate pair).
    func settle(_ key: ConflictKey, competitors: [CompetingValue], words: String) async throws -> (competitors: [CompetingValue], displayed: String) {
        let record = try await loadRecord(key.entity, id: key.recordID)
        var settled = competitors
        switch key.kind {
        case .concurrentValues:
            let value = record?.value(of: key.field) ?? .null
            for index in settled.indices { settled[index].isDisplayed = settled[index].value == value }
            return (settled, try await valueLabel(value, field: key.field, entity: key.entity))
        case .deleteVsEdit:
            let isDeleted = try await self.isDeleted(key.entity, key.recordID)
            for index in settled.indices { settled[index].isDisplayed = (settled[index].value == .bool(false)) == isDeleted }
            return (settled, isDeleted ? "deleted" : "kept")
        case .orphanReference, .probableDuplicate:
            for index in settled.indices {
                let competitor = settled[index]
                let survives = try await !isDeleted(competitor.entity, competitor.recordID)
                if competitor.field.isEmpty {
                    // A customer of a pair survives; a target's delete stands while it is deleted.
                    settled[index].isDisplayed = key.kind == .probableDuplicate ? survives : !survives
                } else {
                    settled[index].isDisplayed = survives && record?.value(of: competitor.field) == competitor.value
                }
            }
            return (settled, words)
        }
    }

    /// Whether a record is deleted now, or not on the server at all.
    private func isDeleted(_ entity: String, _ id: RecordID) async throws -> Bool {
        guard let state = try await loadRecord(entity, id: id) else { return true }
        return state.isDeleted(policy: schema.entity(entity)?.deletionPolicy ?? .updateWins)
    }

    /// The existence siblings of a record in a delete conflict: each delete and each edit.
    private func existenceCompetitors(of record: RecordState, isDeleted: Bool) async throws -> [CompetingValue] {
        var competitors: [CompetingValue] = []
        let siblings = record.existence.siblings.sorted(by: Sibling.displayOrder).reversed()
        let authors = try await authors(of: siblings.map(\.dot))
        for sibling in siblings {
            let isDelete = sibling.value == .bool(false)
            var label = "deleted"
            if !isDelete {
                let fields = try await loggedChange(sibling.dot)?.fields ?? []
                label = fields.isEmpty ? "kept" : "edited \(fields.joined(separator: ", "))"
            }
            competitors.append(CompetingValue(
                entity: record.entity, recordID: record.id, field: "", value: sibling.value, label: label,
                dot: sibling.dot, hlc: sibling.hlc, author: Self.author(of: sibling.dot, in: authors), isDisplayed: isDelete == isDeleted
            ))
        }
        return competitors
    }

    // MARK: Log lookups

    /// A record's state: the one just written when it is that record, else the stored one.
    private func loadRecord(_ entity: String, id: RecordID) async throws -> RecordState? {
        if let written, written.entity == entity, written.id == id { return written }
        return try await ServerRows.loadRecord(db, entity: entity, id: id)
    }

    /// Who wrote the change with `dot`, from the log.
    func author(of dot: Dot) async throws -> ChangeAuthorInfo {
        Self.author(of: dot, in: try await authors(of: [dot]))
    }

    /// Who wrote each of these changes, from the log, in one statement: the dots the log holds.
    func authors(of dots: [Dot]) async throws -> [Dot: ChangeAuthorInfo] {
        guard !dots.isEmpty else { return [:] }
        var asked = JSONText()
        asked.array(dots) { $0.dot($1) }
        var authors: [Dot: ChangeAuthorInfo] = [:]
        for row in try await SQLRow.fetchAll(db, sql: DescriberSQL.authorsOfDots, arguments: [asked.text]) {
            guard let replica = ReplicaID(string: row["replica"]) else { continue }
            let dot = Dot(replica: replica, counter: UInt64(clamping: row["counter"] as Int64))
            authors[dot] = ChangeAuthorInfo(
                user: row["user"], device: row["device"], deviceName: row["device_name"], receivedAt: row["received_at"], sequence: row["seq"]
            )
        }
        return authors
    }

    /// The author of `dot` among those read; for a dot the log does not hold, its device only.
    static func author(of dot: Dot, in authors: [Dot: ChangeAuthorInfo]) -> ChangeAuthorInfo {
        authors[dot] ?? ChangeAuthorInfo(device: dot.replica.rawValue)
    }

    private func loggedChange(_ dot: Dot) async throws -> Change? {
        try await String.fetchOne(
            db, sql: DescriberSQL.changeOfDot,
            arguments: [dot.replica.rawValue, Int64(clamping: dot.counter)]
        ).map { try ServerJSON.decode(Change.self, from: $0) }
    }

    private func firstChange(of record: RecordReference) async throws -> Change? {
        try await String.fetchOne(
            db, sql: DescriberSQL.firstChangeOfRecord,
            arguments: [record.entity, record.id]
        ).map { try ServerJSON.decode(Change.self, from: $0) }
    }

    // MARK: Labels

    /// The territory deciding who sees a record: its own, or its account's.
    func territory(of record: RecordState) async throws -> String? {
        let materialized = MaterializedRecord(state: record, schema: schema)
        if let territory = materialized.territory { return territory }
        guard let account = materialized.accountID else { return nil }
        return try await String.fetchOne(
            db, sql: DescriberSQL.territoryOfAccount, arguments: [account]
        )
    }

    /// The name people know a record by: the first field its entity lists.
    func label(of record: RecordState) -> String? {
        guard let field = schema.entity(record.entity)?.listFields.first else { return nil }
        let value = record.value(of: field)
        return value == .null ? nil : value.description
    }

    private func customerLabel(_ state: RecordState) -> String {
        ["name", "city", "phone", "email"].compactMap { state.value(of: $0).stringValue }.filter { !$0.isEmpty }.joined(separator: " · ")
    }

    /// A value as people read it; references also show the target's name.
    func valueLabel(_ value: Value, field: String, entity: String) async throws -> String {
        guard case .string(let id) = value, let target = schema.entity(entity)?.field(field)?.type.referencedEntity else {
            return Self.label(value)
        }
        guard let state = try await loadRecord(target, id: id), let name = label(of: state) else {
            return "\(target) \(id)"
        }
        return "\(target) '\(name)' (\(id))"
    }

    static func label(_ value: Value) -> String {
        value == .null ? "(empty)" : value.description
    }
}

/// The statements of ConflictDescriber.swift, written for each backend (`SQLCatalog`).
enum DescriberSQL: SQLCatalog {
    case authorsOfDots, changeOfDot, firstChangeOfRecord, territoryOfAccount

    var statement: SQLStatement {
        switch self {
        case .authorsOfDots:
            // $1: a JSON array of dots as the wire writes them (`{"c":counter,"r":"replica"}`);
            // a row for each dot the log holds.
            SQLStatement(
                sqlite: """
                    SELECT c.replica, c.counter, c.seq, c.user, c.device, c.received_at, d.name AS device_name
                    FROM json_each($1) AS k
                    JOIN change_log c ON c.replica = json_extract(k.value, '$.r') AND c.counter = json_extract(k.value, '$.c')
                    LEFT JOIN devices d ON d.replica = c.device
                    """,
                postgres: """
                    SELECT c.replica, c.counter, c.seq, c.user, c.device, c.received_at, d.name AS device_name
                    FROM json_to_recordset(CAST($1 AS json)) AS k(r text, c bigint)
                    JOIN change_log c ON c.replica = k.r AND c.counter = k.c
                    LEFT JOIN devices d ON d.replica = c.device
                    """
            )
        case .changeOfDot: "SELECT change FROM change_log WHERE replica = $1 AND counter = $2"
        case .firstChangeOfRecord: "SELECT change FROM change_log WHERE entity = $1 AND record_id = $2 ORDER BY seq LIMIT 1"
        case .territoryOfAccount: "SELECT territory FROM records WHERE id = $1 AND territory IS NOT NULL LIMIT 1"
        }
    }
}
