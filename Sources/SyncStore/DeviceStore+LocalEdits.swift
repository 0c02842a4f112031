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
    func write(
        _ edits: [LocalEdit], mode: EditMode, progress: ImportProgress? = nil, check: (TransactionReader) throws -> Void = { _ in }
    ) throws -> [Change] {
        do {
            return try database.write { db in
                try check(TransactionReader(db: db))
                var clock = try StoredClock.load(db, replica: replicaID)
                let physical = physicalClock() + clock.offset
                var changes: [Change] = []
                changes.reserveCapacity(edits.count)
                for (index, edit) in edits.enumerated() {
                    let change: Change
                    let existing: RecordState?
                    do {
                        (change, existing) = try stamp(edit, db: db, clock: &clock, physical: physical, mode: mode)
                    } catch where mode == .importing {
                        throw Self.located(error, index: index, edit: edit)
                    }
                    // The history row is the outbox entry (what is pushed) and carries the
                    // dot and stamp the clock is recovered from: the clock row is not written.
                    // Reference data (products, campaigns) is owned by the server: a copy
                    // imported on a device stays local, since the server would refuse it.
                    var changeJSON = JSONText()
                    changeJSON.change(change)
                    let outbox = schema.entity(change.entity)?.isReadOnly == true
                        ? nil : OutboxStamp(stampedAt: physical, clockOffset: clock.offset)
                    try write(change, existing: consume existing, changeJSON: changeJSON.text, db: db, origin: "local", at: physical, outbox: outbox)
                    changes.append(change)
                    if let progress, (index + 1) % progress.every == 0 || index + 1 == edits.count {
                        progress.report(index + 1, edits.count)
                    }
                }
                return changes
            }
        } catch let error as ValidationError {
            throw StoreError(error)
        }
    }

    /// `reason`, said of the record at `place` (its index, entity and id).
    private static func located(_ reason: Refusal, _ place: KeyValuePairs<String, Any>) -> Refusal {
        var refusal = Refusal(.refusedRecord, place)
        refusal.values["reason"] = .refusal(reason)
        return refusal
    }

    /// Names the record of an import that was refused: an import holds many.
    private static func located(_ error: any Error, index: Int, edit: LocalEdit) -> any Error {
        let place: KeyValuePairs<String, Any> = ["index": index, "entity": edit.entity, "id": edit.recordID]
        switch error {
        case let error as ValidationError: return StoreError(code: error.code.rawValue, located(error.refusal, place))
        case let error as StoreError: return StoreError(code: error.code, located(error.refusal, place))
        default: return error
        }
    }

    /// Applies one local edit.
    @discardableResult
    public func apply(_ edit: LocalEdit) throws -> Change {
        try apply([edit])[0]
    }

    /// Turns a local edit into a stamped, validated change; returns it with the record's state
    /// before the edit, which the write then merges into.
    private func stamp(_ edit: LocalEdit, db: Database, clock: inout StoredClock, physical: Int64, mode: EditMode) throws -> (Change, RecordState?) {
        let entity = try entitySchema(edit.entity)
        if entity.isReadOnly && mode == .edit {
            throw ValidationError(.readOnlyEntity, .readOnlyEntity, ["entity": entity.name])
        }
        guard RecordIDs.isValid(edit.recordID) else {
            throw ValidationError(.invalidRecordID, .recordIDNotUUID, ["id": edit.recordID])
        }
        let existing = try Self.loadState(db, edit.entity, edit.recordID)
        if edit.isCreation {
            if existing != nil { throw StoreError.recordExists(edit.entity, edit.recordID) }
        } else {
            guard let existing else { throw StoreError.recordNotFound(edit.entity, edit.recordID) }
            let isRestore = edit.operations.isEmpty
            let deleted = existing.isDeleted(policy: entity.deletionPolicy)
            if deleted && !isRestore {
                throw StoreError(code: "record_deleted", .recordDeleted, ["entity": edit.entity, "id": edit.recordID])
            }
            if isRestore && !deleted && !existing.hasDeleteConflict {
                throw StoreError(code: "no_changes", .editChangesNothing)
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
                    throw ValidationError(.kindMismatch, .notACounter, ["field": name, "kind": field.kind.rawValue])
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
                throw ValidationError(.malformedChange, .deleteWithOtherEdits)
            }
            guard !edit.isCreation else { throw StoreError.recordNotFound(edit.entity, edit.recordID) }
            operations = [.delete]
        } else {
            if edit.isCreation {
                let missing = entity.requiredFields.map(\.name).filter { (assignments[$0] ?? .null) == .null }
                if !missing.isEmpty {
                    throw ValidationError(.missingRequiredField, .newRecordNeeds, ["entity": entity.name, "missing": missing.joined(separator: ", ")])
                }
            }
            if let rule, mode == .edit {
                let current = existing.map { RecordSnapshot(state: $0, policy: entity.deletionPolicy).values }
                let input = EditRuleInput(
                    entity: entity, current: current, assignments: assignments,
                    now: edit.time ?? Timestamps.string(milliseconds: physical), reopen: edit.reopen, reader: TransactionReader(db: db)
                )
                assignments = try rule(input)
            }
            for (name, value) in assignments {
                guard let target = value.stringValue, let field = entity.field(name), let targetEntity = field.type.referencedEntity else { continue }
                guard RecordIDs.isValid(target) else { continue }  // schema validation reports the type
                if try !Self.isVisible(db, targetEntity, target) {
                    throw StoreError.unknownReference(field: name, entity: targetEntity, id: target)
                }
            }
            operations = assignments.keys.sorted().map { FieldOperation(field: $0, operation: .assign(assignments[$0] ?? .null)) }
            operations += otherOperations
            if operations.isEmpty && edit.isCreation {
                throw StoreError(code: "no_changes", .editChangesNothing)
            }
        }

        let change = Change(
            entity: edit.entity, recordID: edit.recordID, dot: clock.nextDot(replicaID), hlc: clock.clock.tick(physical: physical),
            context: existing?.version ?? VersionVector(), operations: operations
        )
        try schema.validate(change, allowReadOnly: mode == .importing)
        return (change, existing)
    }

    private func field(_ name: String, of entity: EntitySchema) throws -> FieldSchema {
        guard let field = entity.field(name) else {
            throw ValidationError(.unknownField, .noFieldListed, ["entity": entity.name, "field": name, "fields": entity.fields.map(\.name).joined(separator: ", ")])
        }
        return field
    }

    /// Merges one change into its record and records state, conflicts and history.
    @discardableResult
    func write(_ change: Change, db: Database, origin: String, at time: Int64) throws -> MergeOutcome {
        let existing = try Self.loadState(db, change.entity, change.recordID)
        var changeJSON = JSONText()
        changeJSON.change(change)
        return try write(change, existing: existing, changeJSON: changeJSON.text, db: db, origin: origin, at: time)
    }

    /// Merges one change into `existing` (the record's stored state, nil when it has none) and
    /// records state, conflicts and history; `changeJSON` is the change's JSON for the history.
    /// `outbox`: the change is a local one waiting for the server, stamped then.
    @discardableResult
    func write(
        _ change: Change, existing: consuming RecordState?, changeJSON: String, db: Database, origin: String, at time: Int64,
        outbox: OutboxStamp? = nil
    ) throws -> MergeOutcome {
        let policy = policy(for: change.entity)
        let isDelete = change.isDelete
        // What the history needs of the state before the change, taken before the merge so
        // that the merge edits the only copy of the state in place.
        let wasDeleted = existing?.isDeleted(policy: policy)
        let previous = existing.map { StoredRow(visible: !$0.isDeleted(policy: policy), account: accountID(of: $0)) }
        var oldDisplay: [(field: String, value: DisplayValue)] = []
        if !isDelete {
            for operation in change.operations where !operation.field.isEmpty && !oldDisplay.contains(where: { $0.field == operation.field }) {
                oldDisplay.append((operation.field, existing?.displayed(operation.field) ?? .value(.null)))
            }
        }
        var state = existing.take() ?? RecordState(entity: change.entity, id: change.recordID)
        let outcome: MergeOutcome
        do {
            outcome = try state.merge(change)
        } catch {
            throw StoreError(code: "merge_failed", .mergeFailed, ["record": "\(change.entity)/\(change.recordID)", "error": error])
        }
        guard outcome.applied else { return outcome }
        let diff: [(field: String, diff: FieldDiff)]
        if isDelete {
            diff = [("_deleted", FieldDiff(old: .value(.bool(wasDeleted ?? false)), new: .value(.bool(state.isDeleted(policy: policy)))))]
        } else {
            diff = oldDisplay.map { ($0.field, FieldDiff(old: $0.value, new: state.displayed($0.field))) }
        }
        // The history row first: it chains to the record's newest row, and the record row
        // then names it as the newest.
        let seq = try insertHistory(db, change: change, changeJSON: changeJSON, diff: diff, origin: origin, at: time, outbox: outbox)
        try saveRecord(db, state, previous: previous, historyHead: seq)
        try recordConflicts(db, outcome: outcome, change: change, state: state, at: time)
        return outcome
    }
}

/// UTC timestamp text in the schema's form.
public enum Timestamps {
    public static func string(milliseconds: Int64) -> String {
        Dates.timestamp(milliseconds: milliseconds)
    }

    /// The calendar day "YYYY-MM-DD" of a time, in UTC.
    public static func day(milliseconds: Int64) -> String {
        String(string(milliseconds: milliseconds).prefix(10))
    }
}
