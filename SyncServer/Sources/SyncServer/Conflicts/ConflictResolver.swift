import SyncCore

/// A write the server makes as its own replica on an existing record. The storage stamps it
/// with the server's next dot and HLC, and its context is the record's whole version: the
/// server has seen every write it holds, so the edit covers every competing value.
public struct ServerEdit: Sendable, Hashable {
    public var entity: String
    public var id: RecordID
    /// Empty: only re-asserts that the record exists (keeps it against a concurrent delete).
    public var operations: [FieldOperation]

    public init(entity: String, id: RecordID, operations: [FieldOperation]) {
        self.entity = entity
        self.id = id
        self.operations = operations
    }
}

/// Turns an admin's decision about a conflict-log entry into server edits.
///
/// Pure: the storage calls it inside the transaction that writes the edits, with the states it
/// just read, so a decision is never applied to a record that changed in between.
public enum ConflictResolver {
    /// The resolutions that fit an open entry.
    public static func actions(for entry: ConflictLogEntry, relatedExists: Bool) -> [ResolutionAction] {
        guard entry.status == .open else { return [] }
        switch entry.key.kind {
        case .concurrentValues: return [.choose, .value]
        case .deleteVsEdit: return [.keep, .delete]
        case .orphanReference: return relatedExists ? [.value, .restoreTarget, .delete] : [.value, .delete]
        case .probableDuplicate: return [.merge]
        }
    }

    /// The edits that settle `entry` the way `resolution` says. `record` is the entry's record
    /// and `related` its related record, as stored now.
    public static func edits(
        for entry: ConflictLogEntry, _ resolution: ConflictResolution, record: RecordState?, related: RecordState?, schema: Schema
    ) throws(ServerError) -> [ServerEdit] {
        let key = entry.key
        guard actions(for: entry, relatedExists: related != nil).contains(resolution.action) else {
            throw ServerError(
                .invalidRequest, .actionDoesNotSettle,
                [
                    "action": resolution.action.rawValue, "kind": key.kind.rawValue,
                    "actions": actions(for: entry, relatedExists: related != nil).map(\.rawValue).joined(separator: ", "),
                ]
            )
        }
        guard let record else {
            throw ServerError(.notFound, .recordNotOnServer, ["entity": key.entity, "id": key.recordID])
        }
        switch resolution.action {
        case .choose:
            guard let dot = resolution.sibling else {
                throw ServerError(.invalidRequest, .chooseNeedsSibling)
            }
            guard let sibling = record.fields[key.field]?.register?.siblings.first(where: { $0.dot == dot }) else {
                throw ServerError(.invalidRequest, .noCompetingValue, ["field": key.field, "dot": dot])
            }
            let rejected = Set(record.fields[key.field]?.register?.siblings.map(\.dot) ?? []).subtracting([dot])
            var operations = [FieldOperation(field: key.field, operation: .assign(sibling.value))]
            for field in schema.entity(key.entity)?.fields(coupledWith: key.field) ?? [] {
                if let value = chosenSide(of: record.fields[field]?.register, chosen: dot, rejected: rejected) {
                    operations.append(FieldOperation(field: field, operation: .assign(value)))
                }
            }
            return [ServerEdit(entity: key.entity, id: key.recordID, operations: operations)]
        case .value:
            let value = try newValue(resolution, entity: key.entity, field: key.field, schema: schema)
            return [ServerEdit(entity: key.entity, id: key.recordID, operations: [FieldOperation(field: key.field, operation: .assign(value))])]
        case .keep:
            return [ServerEdit(entity: key.entity, id: key.recordID, operations: [])]
        case .delete:
            return [ServerEdit(entity: key.entity, id: key.recordID, operations: [.delete])]
        case .restoreTarget:
            guard let related else {
                throw ServerError(.invalidRequest, .referencedRecordGone)
            }
            return [ServerEdit(entity: related.entity, id: related.id, operations: [])]
        case .merge:
            throw ServerError(.invalidRequest, .mergePlannedElsewhere)
        }
    }

    /// The value a field written together with the resolved one takes on the chosen side, or
    /// nil to leave it alone. The changes that wrote the rejected values wrote their side of
    /// this field with the same dots: the chosen change's own write wins; otherwise the values
    /// no rejected change wrote stay (written back when they are one value, left as their own
    /// conflict when not); a field only the rejected side wrote is cleared.
    static func chosenSide(of register: RegisterState?, chosen: Dot, rejected: Set<Dot>) -> Value? {
        guard let siblings = register?.siblings, siblings.contains(where: { rejected.contains($0.dot) }) || register?.isConflicted == true else {
            return nil
        }
        if let own = siblings.first(where: { $0.dot == chosen }) { return own.value }
        let kept = siblings.filter { !rejected.contains($0.dot) }
        guard let first = kept.first else { return .null }
        return kept.allSatisfy { $0.value == first.value } ? first.value : nil
    }

    /// The value an admin entered: JSON `value`, or `text` parsed by the field's type.
    static func newValue(_ resolution: ConflictResolution, entity: String, field name: String, schema: Schema) throws(ServerError) -> Value {
        guard let field = schema.entity(entity)?.field(name), field.kind == .register else {
            throw ServerError(.invalidRequest, .noRegisterField, ["entity": entity, "field": name])
        }
        do throws(ValidationError) {
            if let value = resolution.value {
                try field.type.validate(value, field: name)
                if value == .null && field.isRequired {
                    throw ValidationError(.missingRequiredField, .recordNeedsField, ["entity": entity, "field": name])
                }
                return value
            }
            if let text = resolution.text {
                if text.isEmpty && !field.isRequired { return .null }
                return try field.type.parse(text, field: name)
            }
        } catch {
            throw ServerError(.invalidRequest, refusal: error.refusal)
        }
        throw ServerError(.invalidRequest, .valueNeedsValue)
    }
}

/// Plans the merge of two duplicate records.
public enum DuplicateMerge {
    /// The edits, in order: children re-pointed to the survivor, the survivor's register
    /// fields that keep the duplicate's value, the duplicate deleted.
    ///
    /// - Parameters:
    ///   - referrers: the live records whose reference fields name the duplicate.
    ///   - choices: per field, the record whose value survives; other fields keep the newer
    ///     non-empty value (`defaults`).
    public static func plan(
        survivor: RecordState, duplicate: RecordState, referrers: [(record: RecordReference, field: String)],
        choices: [String: RecordID] = [:], schema: Schema
    ) throws(ServerError) -> (edits: [ServerEdit], filled: [String]) {
        guard survivor.entity == duplicate.entity else {
            throw ServerError(.invalidRequest, .entitiesDiffer, ["survivor": survivor.entity, "duplicate": duplicate.entity])
        }
        guard survivor.id != duplicate.id else {
            throw ServerError(.invalidRequest, .sameRecord)
        }
        let policy = schema.entity(survivor.entity)?.deletionPolicy ?? .updateWins
        guard !survivor.isDeleted(policy: policy), !duplicate.isDeleted(policy: policy) else {
            throw ServerError(.invalidRequest, .bothMustExist)
        }
        let registers = (schema.entity(survivor.entity)?.fields ?? []).filter { $0.kind == .register }.map(\.name)
        for (field, record) in choices.sorted(by: { $0.key < $1.key }) {
            guard registers.contains(field) else {
                throw ServerError(.invalidRequest, .noFieldToMerge, ["entity": survivor.entity, "field": field])
            }
            guard record == survivor.id || record == duplicate.id else {
                throw ServerError(.invalidRequest, .valueMustComeFrom, ["field": field, "survivor": survivor.id, "duplicate": duplicate.id, "record": record])
            }
        }
        var edits: [ServerEdit] = []
        var byRecord: [RecordReference: [String]] = [:]
        var order: [RecordReference] = []
        for referrer in referrers {
            if byRecord[referrer.record] == nil { order.append(referrer.record) }
            byRecord[referrer.record, default: []].append(referrer.field)
        }
        for record in order {
            let fields = (byRecord[record] ?? []).sorted()
            edits.append(ServerEdit(
                entity: record.entity, id: record.id,
                operations: fields.map { FieldOperation(field: $0, operation: .assign(.string(survivor.id))) }
            ))
        }
        let picks = defaults(survivor, duplicate, schema: schema).merging(choices) { $1 }
        let filled = registers.filter { picks[$0] == duplicate.id && duplicate.value(of: $0) != survivor.value(of: $0) }
        if !filled.isEmpty {
            edits.append(ServerEdit(
                entity: survivor.entity, id: survivor.id,
                operations: filled.map { FieldOperation(field: $0, operation: .assign(duplicate.value(of: $0))) }
            ))
        }
        edits.append(ServerEdit(entity: duplicate.entity, id: duplicate.id, operations: [.delete]))
        return (edits, filled)
    }

    /// Per register field whose values differ, the record whose value a merge keeps unless told
    /// otherwise: the non-empty one, or the one written later (its displayed write's HLC).
    public static func defaults(_ first: RecordState, _ second: RecordState, schema: Schema) -> [String: RecordID] {
        var picks: [String: RecordID] = [:]
        for field in schema.entity(first.entity)?.fields ?? [] where field.kind == .register {
            let mine = first.fields[field.name]?.register?.winner
            let theirs = second.fields[field.name]?.register?.winner
            let (a, b) = (mine?.value ?? .null, theirs?.value ?? .null)
            guard a != b else { continue }
            if a == .null {
                picks[field.name] = second.id
            } else if b == .null {
                picks[field.name] = first.id
            } else {
                picks[field.name] = (theirs?.hlc ?? .zero) > (mine?.hlc ?? .zero) ? second.id : first.id
            }
        }
        return picks
    }
}
