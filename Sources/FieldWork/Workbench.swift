import CRM
import Foundation
import SyncCore
import SyncStore

/// The device store as people address it: entities and records named the way people type
/// them (an id, a unique id prefix or a name), edits applied in one transaction and returned
/// with each record before and after.
public struct Workbench {
    public let store: DeviceStore
    /// The shortest unambiguous id prefixes, for messages and tables.
    public let shortIDs: ShortIDs
    public var schema: Schema { store.schema }

    public init(store: DeviceStore) {
        self.store = store
        self.shortIDs = ShortIDs(store: store)
    }

    /// The entity a person means: `account`, `accounts`, `order-line`, `visit` for activities.
    public func entity(_ text: String) throws -> EntitySchema {
        try EntityNames.resolve(text, in: schema)
    }

    /// The full id of a record typed as an id, a unique prefix of one, or its name (the
    /// name, title, number… `RecordLabel` shows): a record named exactly so, else the one
    /// whose name contains the text, letter case ignored. Several matches are refused with
    /// `ambiguous_name`, listing them.
    public func resolve(_ entity: EntitySchema, _ typed: String) throws -> RecordID {
        let text = typed.trimmingCharacters(in: .whitespaces)
        let notAnID: StoreError
        do {
            return try store.resolveID(entity.name, prefix: text)
        } catch let error as StoreError where error.code == "record_not_found" || error.code == ValidationError.Code.invalidRecordID.rawValue {
            notAnID = error
        }
        guard !text.isEmpty, let field = RecordLabel.nameField(of: entity) else { throw notAnID }
        let shown = 10
        var matches = try store.records(entity.name, matching: [.equals(field, .string(text))], limit: shown + 1)
        if matches.isEmpty {
            matches = try store.records(entity.name, matching: [.like(field, text)], limit: shown + 1)
        }
        switch matches.count {
        case 0:
            throw StoreError(code: "record_not_found", .noRecordNamed, ["entity": entity.name, "field": field, "text": text])
        case 1:
            return matches[0].id
        default:
            let listed = try matches.prefix(shown).map { record in
                let city = record.value("city").stringValue.map { " (\($0))" } ?? ""
                return "\(try shortIDs(entity.name, record.id)) \(RecordLabel.of(record, schema: schema))\(city)"
            }
            let records = listed.joined(separator: "; ")
            if matches.count > shown {
                throw StoreError(code: "ambiguous_name", .manyRecordsMatchName, ["count": shown, "entity": entity.name, "text": text, "records": records])
            }
            throw StoreError(code: "ambiguous_name", .recordsMatchName, ["count": matches.count, "entity": entity.name, "text": text, "records": records])
        }
    }

    /// A record that must exist, typed as an id or prefix.
    public func record(_ entity: EntitySchema, _ prefix: String) throws -> RecordSnapshot {
        let id = try resolve(entity, prefix)
        guard let record = try store.record(entity.name, id: id) else { throw StoreError.recordNotFound(entity.name, id) }
        return record
    }

    /// A record that exists and is not deleted.
    public func liveRecord(_ entity: EntitySchema, _ prefix: String) throws -> RecordSnapshot {
        let record = try record(entity, prefix)
        if record.deleted { throw StoreError(code: "record_deleted", .recordDeleted, ["entity": entity.name, "id": record.id]) }
        return record
    }

    /// The editor that turns typed text into a record's operations, resolving references and
    /// territories on this device.
    public func editor(_ entity: EntitySchema, current: RecordSnapshot?) -> FieldEditor {
        var editor = FieldEditor(entity: entity, current: current, territories: (try? store.territories()) ?? TerritoryList(territories: [])) { target, typed in
            try resolve(try self.entity(target), typed)
        }
        editor.mayCorrectWorkflowFields = mayCorrectWorkflowFields
        return editor
    }

    /// Whether the enrolled user is a manager or an admin, who may correct the fields
    /// workflows own (the server checks the same role when the change is pushed).
    public var mayCorrectWorkflowFields: Bool {
        guard let role = try? store.setting("role") else { return false }
        return role == "manager" || role == "admin"
    }

    /// Applies edits in one transaction and returns each record before and after.
    @discardableResult
    public func apply(_ edits: [LocalEdit], checking check: (TransactionReader) throws -> Void = { _ in }) throws -> [AppliedEdit] {
        let before = try edits.map { try store.record($0.entity, id: $0.recordID) }
        let changes = try store.apply(edits, checking: check)
        return try changes.enumerated().map { index, change in
            AppliedEdit(change: change, before: before[index], after: try store.record(change.entity, id: change.recordID))
        }
    }

    /// Applies one record's edit in one transaction; `check`, when given, runs first inside
    /// that transaction.
    public func apply(_ edit: LocalEdit, checking check: (TransactionReader) throws -> Void = { _ in }) throws -> AppliedEdit {
        guard let applied = try apply([edit], checking: check).first else { throw StoreError(code: "nothing_applied", .editChangedNoRecord) }
        return applied
    }

    /// The enrolled user, who owns what this device creates.
    public func user() throws -> String? {
        try store.setting("user")
    }
}

/// One record's edit as a workflow made it: the change written (entity, record id, the
/// operations with their stamps) and the record before and after.
public struct AppliedEdit: Sendable {
    public var change: Change
    /// Nil when the edit created the record.
    public var before: RecordSnapshot?
    public var after: RecordSnapshot?

    public init(change: Change, before: RecordSnapshot?, after: RecordSnapshot?) {
        self.change = change
        self.before = before
        self.after = after
    }

    public var entity: String { change.entity }
    public var recordID: RecordID { change.recordID }
    /// True when the edit created the record.
    public var created: Bool { before == nil }
    /// The fields the edit wrote, in the change's order.
    public var fields: [String] { change.operations.map(\.field).filter { !$0.isEmpty } }
}

extension Array where Element == AppliedEdit {
    /// The edit of the first record of `entity`, if the workflow touched one.
    public func first(_ entity: String) -> AppliedEdit? { first { $0.entity == entity } }
}
