import Foundation
import GRDB
import SyncCore

extension DeviceStore {
    /// Applies local edits in one transaction: each edit is validated, stamped with a new dot,
    /// HLC and context, merged into the record, and queued in the outbox. If any edit is
    /// refused, none is written.
    @discardableResult
    public func apply(_ edits: [LocalEdit]) throws -> [Change] {
        try write(edits, mode: .edit)
    }

    /// How a batch of local edits is checked before it is written.
    enum EditMode {
        /// A person's edit: read-only entities are refused and the domain rule runs.
        case edit
        /// An import of complete records (fixtures, migrations): reference data may be written
        /// and the domain rule, which derives values for edits made now, does not run.
        case importing
    }

    /// Writes a batch of local edits in one transaction; the first refused edit rolls back all.
    func write(_ edits: [LocalEdit], mode: EditMode) throws -> [Change] {
        do {
            return try database.write { db in
                var clock = try Self.loadClock(db)
                let physical = try correctedTime(db)
                var changes: [Change] = []
                changes.reserveCapacity(edits.count)
                for (index, edit) in edits.enumerated() {
                    let change: Change
                    do {
                        change = try stamp(edit, db: db, clock: &clock, physical: physical, mode: mode)
                    } catch where mode == .importing {
                        throw Self.located(error, index: index, edit: edit)
                    }
                    try write(change, db: db, origin: "local", at: physical)
                    // Reference data (products, campaigns) is owned by the server: a copy
                    // imported on a device stays local, since the server would refuse it.
                    if schema.entity(change.entity)?.isReadOnly != true {
                        try db.execute(
                            sql: "INSERT INTO outbox(counter, entity, record_id, change, created_at) VALUES (?, ?, ?, ?, ?)",
                            arguments: [change.dot.counter, change.entity, change.recordID, try Self.encode(change), physical]
                        )
                    }
                    changes.append(change)
                }
                try Self.saveClock(db, clock)
                return changes
            }
        } catch let error as ValidationError {
            throw StoreError(error)
        }
    }

    /// Names the record of an import that was refused: an import holds many.
    private static func located(_ error: any Error, index: Int, edit: LocalEdit) -> any Error {
        let place = "record \(index) (\(edit.entity) \(edit.recordID))"
        switch error {
        case let error as ValidationError: return StoreError(code: error.code.rawValue, message: "\(place): \(error.message)")
        case let error as StoreError: return StoreError(code: error.code, message: "\(place): \(error.message)")
        default: return error
        }
    }

    /// Applies one local edit.
    @discardableResult
    public func apply(_ edit: LocalEdit) throws -> Change {
        try apply([edit])[0]
    }

    /// Turns a local edit into a stamped, validated change.
    private func stamp(_ edit: LocalEdit, db: Database, clock: inout HybridClock, physical: Int64, mode: EditMode) throws -> Change {
        let entity = try entitySchema(edit.entity)
        if entity.isReadOnly && mode == .edit {
            throw ValidationError(.readOnlyEntity, "\(entity.name) is reference data owned by the server and cannot be edited on a device")
        }
        guard RecordIDs.isValid(edit.recordID) else {
            throw ValidationError(.invalidRecordID, "record id '\(edit.recordID)' is not a lowercase UUID")
        }
        let existing = try Self.loadState(db, edit.entity, edit.recordID)
        let before = existing.map { RecordSnapshot(state: $0, policy: entity.deletionPolicy) }
        if edit.isCreation {
            if existing != nil { throw StoreError.recordExists(edit.entity, edit.recordID) }
        } else {
            guard let before else { throw StoreError.recordNotFound(edit.entity, edit.recordID) }
            let isRestore = edit.operations.isEmpty
            if before.deleted && !isRestore {
                throw StoreError(code: "record_deleted", message: "\(edit.entity) \(edit.recordID) was deleted")
            }
            if isRestore && !before.deleted && !before.deleteConflict {
                throw StoreError(code: "no_changes", message: "the edit changes nothing")
            }
        }

        var assignments: [String: Value] = [:]
        var otherOperations: [FieldOperation] = []
        var isDelete = false
        for operation in edit.operations {
            switch operation {
            case .set(let name, let value):
                _ = try field(name, of: entity)
                assignments[name] = value
            case .increment(let name, let amount):
                let field = try field(name, of: entity)
                guard field.kind == .counter else {
                    throw ValidationError(.kindMismatch, "field '\(name)' is a \(field.kind.rawValue), not a counter")
                }
                // Publish this replica's new cumulative totals: merging them is a maximum, so a
                // retried change cannot count twice.
                let previous = otherOperations.reversed().lazy.compactMap { operation -> CounterEntry? in
                    if operation.field == name, case .counter(let increments, let decrements) = operation.operation {
                        return CounterEntry(increments: increments, decrements: decrements)
                    }
                    return nil
                }.first ?? existing?.fields[name]?.counter?.entry(for: replicaID) ?? CounterEntry()
                otherOperations.removeAll { $0.field == name }
                let increments = previous.increments + max(amount, 0)
                let decrements = previous.decrements + max(-amount, 0)
                otherOperations.append(FieldOperation(field: name, operation: .counter(increments: increments, decrements: decrements)))
            case .add(let name, let element):
                _ = try field(name, of: entity)
                otherOperations.append(FieldOperation(field: name, operation: .add(element)))
            case .remove(let name, let element):
                _ = try field(name, of: entity)
                otherOperations.append(FieldOperation(field: name, operation: .remove(element)))
            case .delete:
                isDelete = true
            }
        }

        var operations: [FieldOperation]
        if isDelete {
            guard edit.operations.count == 1 else {
                throw ValidationError(.malformedChange, "a delete cannot be combined with other edits")
            }
            guard !edit.isCreation else { throw StoreError.recordNotFound(edit.entity, edit.recordID) }
            operations = [.delete]
        } else {
            if edit.isCreation {
                let missing = entity.requiredFields.map(\.name).filter { (assignments[$0] ?? .null) == .null }
                if !missing.isEmpty {
                    throw ValidationError(.missingRequiredField, "a new \(entity.name) needs \(missing.joined(separator: ", "))")
                }
            }
            if let rule, mode == .edit {
                let input = EditRuleInput(
                    entity: entity, current: before?.values, assignments: assignments,
                    now: Timestamps.string(milliseconds: physical), reopen: edit.reopen
                )
                assignments = try rule(input)
            }
            for (name, value) in assignments {
                guard let target = value.stringValue, let field = entity.field(name), let targetEntity = field.type.referencedEntity else { continue }
                guard RecordIDs.isValid(target) else { continue }  // schema validation reports the type
                let visible = try Bool.fetchOne(db, sql: "SELECT deleted = 0 FROM records WHERE entity = ? AND id = ?", arguments: [targetEntity, target]) ?? false
                if !visible { throw StoreError.unknownReference(field: name, entity: targetEntity, id: target) }
            }
            operations = assignments.keys.sorted().map { FieldOperation(field: $0, operation: .assign(assignments[$0] ?? .null)) }
            operations += otherOperations
            if operations.isEmpty && edit.isCreation {
                throw StoreError(code: "no_changes", message: "the edit changes nothing")
            }
        }

        let change = Change(
            entity: edit.entity, recordID: edit.recordID, dot: try nextDot(db), hlc: clock.tick(physical: physical),
            context: existing?.version ?? VersionVector(), operations: operations
        )
        try schema.validate(change, allowReadOnly: mode == .importing)
        return change
    }

    private func field(_ name: String, of entity: EntitySchema) throws -> FieldSchema {
        guard let field = entity.field(name) else {
            throw ValidationError(.unknownField, "\(entity.name) has no field '\(name)' (fields: \(entity.fields.map(\.name).joined(separator: ", ")))")
        }
        return field
    }

    /// Merges one change into its record and records state, conflicts and history.
    @discardableResult
    func write(_ change: Change, db: Database, origin: String, at time: Int64) throws -> MergeOutcome {
        let existing = try Self.loadState(db, change.entity, change.recordID)
        let base = existing ?? RecordState(entity: change.entity, id: change.recordID)
        let outcome: MergeOutcome
        do {
            outcome = try base.merging(change)
        } catch {
            throw StoreError(code: "merge_failed", message: "cannot merge \(change.entity)/\(change.recordID): \(error)")
        }
        guard outcome.applied else { return outcome }
        let policy = policy(for: change.entity)
        let before = existing.map { RecordSnapshot(state: $0, policy: policy) }
        let after = try saveState(db, outcome.state)
        try recordConflicts(db, outcome: outcome, change: change, snapshot: after, at: time)
        try appendHistory(db, change: change, before: before, after: after, origin: origin, at: time)
        return outcome
    }
}

/// UTC timestamp text in the schema's form.
public enum Timestamps {
    public static func string(milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// The calendar day "YYYY-MM-DD" of a time, in UTC.
    public static func day(milliseconds: Int64) -> String {
        String(string(milliseconds: milliseconds).prefix(10))
    }
}
