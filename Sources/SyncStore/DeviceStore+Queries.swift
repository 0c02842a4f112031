import Foundation
import GRDB
import SyncCore

/// A condition on a displayed field for `records(_:matching:)`.
public enum RecordFilter: Hashable, Sendable {
    /// The displayed value equals this value.
    case equals(String, Value)
    /// A set field contains this element.
    case contains(String, String)
    /// The displayed text contains this text, ignoring case.
    case like(String, String)
    /// The displayed value is not greater than this (dates and timestamps compare as text).
    case atMost(String, Value)
    /// The displayed value is at least this.
    case atLeast(String, Value)
    /// The record belongs to this account (itself or a child of it).
    case account(RecordID)
}

/// One entry of a record's history on this device.
public struct HistoryEntry: Hashable, Sendable, Codable {
    public var change: Change
    /// "local" for edits made here, "remote" for changes pulled from the server.
    public var origin: String
    public var diff: [String: FieldDiff]
    public var appliedAt: Int64
}

/// The device's state at a glance, for `fieldsync status`.
public struct StoreStatus: Hashable, Sendable, Codable {
    public var replica: ReplicaID
    public var records: [String: Int]
    public var pendingChanges: Int
    public var rejectedChanges: Int
    public var openConflicts: Int
    public var cursor: LogSequence?
    public var bootstrapping: Bool
    public var lastDot: UInt64
}

/// An open conflict on this device.
public struct ConflictEntry: Hashable, Sendable, Codable {
    public var key: ConflictKey
    public var openedAt: Int64
    /// For orphans: the record the reference names.
    public var target: String?
}

extension DeviceStore {
    /// One record, including deleted ones (check `deleted`).
    public func record(_ entity: String, id: RecordID) throws -> RecordSnapshot? {
        try database.read { db in
            try Self.loadState(db, entity, id).map { RecordSnapshot(state: $0, policy: policy(for: entity)) }
        }
    }

    /// The full merge state of one record.
    public func state(_ entity: String, id: RecordID) throws -> RecordState? {
        try database.read { db in try Self.loadState(db, entity, id) }
    }

    /// Finds a record by full id or a unique id prefix (as people type ids from a table).
    ///
    /// The prefix is matched case-insensitively. A prefix that cannot start a record id (empty,
    /// longer than an id, or with characters other than hex digits and hyphens) is refused with
    /// `invalid_record_id` rather than reported as not found.
    public func resolveID(_ entity: String, prefix: String) throws -> RecordID {
        _ = try entitySchema(entity)
        let prefix = prefix.lowercased()
        let isIDText = prefix.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || byte == UInt8(ascii: "-")
        }
        guard !prefix.isEmpty, prefix.utf8.count <= 36, isIDText else {
            throw StoreError(ValidationError(.invalidRecordID, .notARecordID, ["prefix": prefix]))
        }
        let matches = try database.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM records WHERE entity = ? AND id LIKE ? LIMIT 2", arguments: [entity, prefix + "%"])
        }
        switch matches.count {
        case 0: throw StoreError.recordNotFound(entity, prefix)
        case 1: return matches[0]
        default: throw StoreError(code: "ambiguous_id", .ambiguousID, ["entity": entity, "prefix": prefix])
        }
    }

    /// The shortest prefix of each record id of an entity that no other id of the entity
    /// shares, at least `minimumLength` characters: what tables show and `resolveID` accepts.
    ///
    /// Ids made on one device are time-ordered UUIDv7s whose first characters are the creation
    /// time, so a fixed-length prefix would be ambiguous for records created close together.
    public func shortIDs(_ entity: String, minimumLength: Int = 8) throws -> [RecordID: String] {
        let ids = try database.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM records WHERE entity = ? ORDER BY id", arguments: [entity])
        }
        func shared(_ a: String, _ b: String) -> Int {
            zip(a.utf8, b.utf8).prefix { $0 == $1 }.count
        }
        var result: [RecordID: String] = [:]
        for (index, id) in ids.enumerated() {
            var length = minimumLength
            if index > 0 { length = max(length, shared(ids[index - 1], id) + 1) }
            if index + 1 < ids.count { length = max(length, shared(ids[index + 1], id) + 1) }
            result[id] = String(id.prefix(length))
        }
        return result
    }

    /// The visible records of an entity that match every filter, ordered by the first list
    /// field. Filters read the displayed values, never the change log.
    public func records(_ entity: String, matching filters: [RecordFilter] = [], includeDeleted: Bool = false, limit: Int = 10_000, offset: Int = 0) throws -> [RecordSnapshot] {
        let schemaEntity = try entitySchema(entity)
        var clauses = ["entity = ?"]
        var arguments: [any DatabaseValueConvertible] = [entity]
        if !includeDeleted { clauses.append("deleted = 0") }
        func path(_ field: String) throws -> String {
            guard schemaEntity.field(field) != nil else {
                throw StoreError(ValidationError(.unknownField, .noField, ["entity": entity, "field": field]))
            }
            return "$.\"\(field)\""
        }
        for filter in filters {
            switch filter {
            case .equals(let field, let value):
                if value == .null {
                    clauses.append("json_extract(display, ?) IS NULL")
                    arguments.append(try path(field))
                } else {
                    clauses.append("json_extract(display, ?) = ?")
                    arguments += [try path(field), Self.sqlValue(value)]
                }
            case .contains(let field, let element):
                clauses.append("EXISTS (SELECT 1 FROM json_each(display, ?) WHERE value = ?)")
                arguments += [try path(field), element]
            case .like(let field, let text):
                clauses.append("json_extract(display, ?) LIKE ? ESCAPE '\\'")
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
                arguments += [try path(field), "%\(escaped)%"]
            case .atMost(let field, let value):
                clauses.append("json_extract(display, ?) <= ?")
                arguments += [try path(field), Self.sqlValue(value)]
            case .atLeast(let field, let value):
                clauses.append("json_extract(display, ?) >= ?")
                arguments += [try path(field), Self.sqlValue(value)]
            case .account(let id):
                clauses.append("account = ?")
                arguments.append(id)
            }
        }
        let order = schemaEntity.listFields.first.map { "json_extract(display, '$.\"\($0)\"'), id" } ?? "id"
        let sql = "SELECT state FROM records WHERE \(clauses.joined(separator: " AND ")) ORDER BY \(order) LIMIT ? OFFSET ?"
        arguments += [limit, offset]
        let policy = schemaEntity.deletionPolicy
        return try database.read { db in
            try Data.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
                .map { RecordSnapshot(state: try Self.decodeState($0), policy: policy) }
        }
    }

    static func sqlValue(_ value: Value) -> any DatabaseValueConvertible {
        switch value {
        case .null: return DatabaseValue.null
        case .bool(let flag): return flag ? 1 : 0
        case .int(let number): return number
        case .string(let text): return text
        }
    }

    /// Visits and calls whose follow-up is due on or before `day` and not done yet.
    public func followUps(through day: String) throws -> [RecordSnapshot] {
        try records("activity", matching: [.atMost("next_follow_up", .string(day))])
            .filter { $0.value("follow_up_done") != .bool(true) && $0.value("next_follow_up") != .null }
            .sorted { ($0.value("next_follow_up").stringValue ?? "", $0.id) < ($1.value("next_follow_up").stringValue ?? "", $1.id) }
    }

    /// Every change applied to a record on this device, oldest first.
    public func history(_ entity: String, id: RecordID) throws -> [HistoryEntry] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT change, origin, diff, applied_at FROM history
                WHERE seq IN (\(Self.recordHistory)) AND entity = ?1 AND record_id = ?2 AND dropped IS NULL ORDER BY seq
                """, arguments: [entity, id]).map { row in
                HistoryEntry(
                    change: try Self.decode(Change.self, row["change"]), origin: row["origin"],
                    diff: try Self.decode([String: FieldDiff].self, row["diff"]), appliedAt: row["applied_at"]
                )
            }
        }
    }

    /// The open conflicts, oldest first: those the records' states hold (concurrent values,
    /// delete against edit) and the orphan references among the records held.
    public func openConflicts() throws -> [ConflictEntry] {
        try database.read { db in try openConflicts(db) }
    }

    func openConflicts(_ db: Database) throws -> [ConflictEntry] {
        let stored: [ConflictEntry] = try Row.fetchAll(db, sql: "SELECT entity, record_id, field, kind, target, opened_at FROM conflicts").compactMap { row in
            guard let kind = ConflictKind(rawValue: row["kind"]) else { return nil }
            return ConflictEntry(
                key: ConflictKey(entity: row["entity"], recordID: row["record_id"], field: row["field"], kind: kind),
                openedAt: row["opened_at"], target: row["target"]
            )
        }
        return (stored + (try orphanConflicts(db))).sorted {
            ($0.openedAt, $0.key.entity, $0.key.recordID, $0.key.field) < ($1.openedAt, $1.key.entity, $1.key.recordID, $1.key.field)
        }
    }

    public func status() throws -> StoreStatus {
        try database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT entity, COUNT(*) AS n FROM records WHERE deleted = 0 GROUP BY entity") {
                counts[row["entity"]] = row["n"]
            }
            return StoreStatus(
                replica: replicaID,
                records: counts,
                pendingChanges: try Int.fetchOne(db, sql: "SELECT COUNT(*) \(Self.outboxRows)") ?? 0,
                rejectedChanges: try Int.fetchOne(db, sql: "SELECT COUNT(*) \(Self.outboxRows) AND reject_code IS NOT NULL") ?? 0,
                openConflicts: try openConflicts(db).count,
                cursor: try Self.meta(db, "cursor").flatMap { LogSequence($0) },
                bootstrapping: try Self.meta(db, "bootstrap") != nil,
                lastDot: try StoredClock.load(db, replica: replicaID).counter
            )
        }
    }

    /// Every record's full merge state as canonical JSON, sorted by entity and id: two
    /// replicas that converged produce the same bytes.
    public func canonicalDump() throws -> Data {
        try database.read { db in
            // `JSONText` writes a state as JSONEncoder with sorted keys does, byte for byte
            // (WireJSONTests), many times faster.
            var dump = JSONText(capacity: 64 * 1024)
            dump.raw("[")
            let states = try Data.fetchCursor(db, sql: "SELECT state FROM records ORDER BY entity, id")
            var first = true
            while let stored = try states.next() {
                if !first { dump.raw(",") }
                first = false
                try Self.decodeState(stored).write(to: &dump)
            }
            dump.raw("]")
            return Data(dump.bytes)
        }
    }

    /// All record states, for reports and exports.
    public func allStates(_ entity: String? = nil) throws -> [RecordState] {
        try database.read { db in
            let rows = if let entity {
                try Data.fetchAll(db, sql: "SELECT state FROM records WHERE entity = ? ORDER BY id", arguments: [entity])
            } else {
                try Data.fetchAll(db, sql: "SELECT state FROM records ORDER BY entity, id")
            }
            return try rows.map { try Self.decodeState($0) }
        }
    }
}
