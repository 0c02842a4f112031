import CRM
import Foundation
import SyncCore
import SyncStore

/// A field and the text a person gave for it (`field=value` on the command line).
public struct FieldAssignment: Hashable, Sendable {
    public var field: String
    public var text: String

    public init(field: String, text: String) {
        self.field = field
        self.text = text
    }

    /// Parses `field=value`; nil without a field name before the `=`.
    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        let field = argument[..<equals].trimmingCharacters(in: .whitespaces)
        guard !field.isEmpty else { return nil }
        self.init(field: field, text: String(argument[argument.index(after: equals)...]))
    }
}

/// Turns typed `field=value` assignments into the store's operations, field by field as the
/// schema says: registers are parsed with their value type, counters are moved to the typed
/// total, sets are given as comma-separated members.
public struct FieldEditor {
    public var entity: EntitySchema
    /// The record before the edit; nil when creating it.
    public var current: RecordSnapshot?
    /// The server's territories as the last sync brought them (empty: any is taken).
    public var territories = TerritoryList(territories: [])
    /// Resolves a reference typed as an id, an id prefix or a name to the full id of a record
    /// of an entity.
    public var resolveReference: (_ entity: String, _ typed: String) throws -> RecordID
    /// Whether the person may correct the fields workflows own (a manager or an admin); a
    /// rep's edit of one is refused with `workflow_owned_field`. A creation may set them.
    public var mayCorrectWorkflowFields = false

    public init(
        entity: EntitySchema, current: RecordSnapshot?, territories: TerritoryList = TerritoryList(territories: []),
        resolveReference: @escaping (_ entity: String, _ typed: String) throws -> RecordID
    ) {
        self.entity = entity
        self.current = current
        self.territories = territories
        self.resolveReference = resolveReference
    }

    /// The operations that assign `assignments` and clear the fields `clearing`; a field
    /// named twice is refused with `malformed_change`.
    public func operations(assigning assignments: [FieldAssignment], clearing: [String] = []) throws -> [LocalOperation] {
        var operations: [LocalOperation] = []
        var seen = Set<String>()
        for name in assignments.map(\.field) + clearing {
            guard seen.insert(name).inserted else {
                throw SyncCore.ValidationError(.malformedChange, .fieldGivenTwice, ["field": name])
            }
            if current != nil && !mayCorrectWorkflowFields, let refusal = entity.handWrittenRefusal(of: name) { throw refusal }
        }
        for assignment in assignments {
            operations += try self.operations(assigning: assignment)
        }
        for name in clearing {
            operations += try self.operations(clearing: name)
        }
        return operations
    }

    /// The field `name` of the entity; an unknown one is refused with `unknown_field` and the nearest name.
    public func field(_ name: String) throws(SyncCore.ValidationError) -> FieldSchema {
        if let field = entity.field(name) { return field }
        let names = entity.fields.map(\.name)
        let fields = names.joined(separator: ", ")
        if let near = Suggestions.nearest(name, among: names) {
            throw SyncCore.ValidationError(.unknownField, .noFieldDidYouMean, ["entity": entity.name, "field": name, "near": near, "fields": fields])
        }
        throw SyncCore.ValidationError(.unknownField, .noFieldListed, ["entity": entity.name, "field": name, "fields": fields])
    }

    /// Parses what a person typed for one register field: enum values are matched ignoring
    /// case, hyphens and spaces; references may be a unique id prefix; a territory must be on
    /// the server's list, typed by key or title.
    public func value(of field: FieldSchema, _ text: String) throws -> Value {
        if case .territory(let territoryField) = entity.scope, territoryField == field.name,
            !text.trimmingCharacters(in: .whitespaces).isEmpty
        {
            return try field.type.parse(try territories.resolve(text), field: field.name)
        }
        switch field.type {
        case .reference(let target):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if RecordIDs.isValid(trimmed.lowercased()) { return .string(trimmed.lowercased()) }
            do {
                return .string(try resolveReference(target, trimmed))
            } catch let error as StoreError {
                // Say which field the id was for: a create may name several references.
                throw StoreError(code: error.code, .fieldRefusal, ["field": field.name, "reason": error.refusal])
            }
        case .enumeration(let allowed):
            // The words the CSV import understands (展会, A类, 忠诚) mean the same here.
            if let value = CSVColumnMapping.enumerationValue(text, field: field) { return .string(value) }
            let wanted = Self.enumKey(text)
            if let match = allowed.first(where: { Self.enumKey($0) == wanted }) {
                return .string(match)
            }
            return try field.type.parse(text, field: field.name)
        case .timestamp:
            // A time as a person types it, with its zone (`2026-11-27T10:00+08:00`), is
            // stored as the one UTC form records hold; an empty text clears the field.
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return try field.type.parse(text, field: field.name) }
            if let utc = try? field.type.parse(trimmed, field: field.name) { return utc }
            do {
                return .string(try FieldTime.parse(trimmed).timestamp)
            } catch {
                throw SyncCore.ValidationError(.typeMismatch, .timeWithZoneExpected, ["field": field.name, "text": trimmed])
            }
        default:
            return try field.type.parse(text, field: field.name)
        }
    }

    private static func enumKey(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
    }

    private func operations(assigning assignment: FieldAssignment) throws -> [LocalOperation] {
        let field = try field(assignment.field)
        switch field.kind {
        case .register:
            return [.set(field.name, try value(of: field, assignment.text))]
        case .counter:
            let text = assignment.text.trimmingCharacters(in: .whitespaces)
            guard let total = Int64(text) else {
                throw SyncCore.ValidationError(.typeMismatch, .counterTotalExpected, ["field": field.name, "text": assignment.text])
            }
            let currentTotal = current?.value(field.name).intValue ?? 0
            let (delta, overflow) = total.subtractingReportingOverflow(currentTotal)
            guard !overflow else {
                throw SyncCore.ValidationError(.invalidValue, .counterCannotMove, ["field": field.name, "current": currentTotal, "total": total])
            }
            return delta == 0 ? [] : [.increment(field.name, by: delta)]
        case .set:
            let members = try assignment.text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .map { member throws -> String in
                    try field.type.validate(.string(member), field: field.name)
                    return member
                }
            let existing = Set(current?.sets[field.name] ?? [])
            let wanted = Set(members)
            return wanted.subtracting(existing).sorted().map { .add(field.name, $0) }
                + existing.subtracting(wanted).sorted().map { .remove(field.name, $0) }
        }
    }

    private func operations(clearing name: String) throws -> [LocalOperation] {
        let field = try field(name)
        switch field.kind {
        case .register:
            return [.set(field.name, .null)]
        case .set:
            return (current?.sets[field.name] ?? []).map { .remove(field.name, $0) }
        case .counter:
            throw SyncCore.ValidationError(.kindMismatch, .counterCannotBeCleared, ["field": field.name])
        }
    }
}
