/// What applying one change did to a record.
public struct MergeOutcome: Sendable, Hashable {
    public var state: RecordState
    /// False when the record already held the change (a duplicate): nothing changed.
    public var applied: Bool
    public var opened: [ConflictKey]
    public var closed: [ConflictKey]
}

/// Why a change cannot be merged into a record at all.
public enum MergeError: Error, Hashable, Sendable {
    case recordMismatch(expected: String, got: String)
    case kindMismatch(field: String)
}

extension RecordState {
    /// Applies one change: the merge function of FieldSync.
    ///
    /// Pure: the result depends only on the state and the change. Applying a change whose dot
    /// the record already covers changes nothing, so every delivery may be retried.
    public func merging(_ change: Change) throws(MergeError) -> MergeOutcome {
        var next = self
        // A failed merge leaves `next` half-applied; it is dropped, so no kind check is needed
        // before applying.
        let (applied, opened, closed) = try next.apply(change, inPlace: false)
        return MergeOutcome(state: applied ? next : self, applied: applied, opened: opened, closed: closed)
    }

    /// Applies one change in place: the same merge as `merging(_:)`, for a caller that is done
    /// with the state before the change. The state's storage is edited where it lies instead of
    /// being copied, which makes this the cheaper form when the caller holds the only copy.
    ///
    /// All or nothing: when the change does not fit the record (`MergeError`), the state is left
    /// as it was.
    @discardableResult
    public mutating func merge(_ change: Change) throws(MergeError) -> MergeOutcome {
        let (applied, opened, closed) = try apply(change, inPlace: true)
        return MergeOutcome(state: self, applied: applied, opened: opened, closed: closed)
    }

    /// `inPlace`: the caller holds the only copy of this state and needs it whole if the change
    /// does not fit, so kinds are checked before anything is applied.
    private mutating func apply(_ change: Change, inPlace: Bool) throws(MergeError) -> (Bool, [ConflictKey], [ConflictKey]) {
        guard change.entity == entity, change.recordID == id else {
            throw MergeError.recordMismatch(expected: "\(entity)/\(id)", got: "\(change.entity)/\(change.recordID)")
        }
        if version.covers(change.dot) {
            return (false, [], [])
        }
        let isDelete = change.isDelete
        if inPlace && !isDelete, let mismatch = kindMismatch(change) {
            throw mismatch
        }
        if change.writesARegisterTwice {
            return try applyComparingAllConflicts(change, isDelete: isDelete, inPlace: inPlace)
        }
        // Only the existence register and the registers this change writes can open or close a
        // conflict, so the outcome compares those instead of every field's conflict set.
        let deleteConflictBefore = hasDeleteConflict
        let context = change.context
        var opened: [ConflictKey] = []
        var closed: [ConflictKey] = []
        existence.apply(.bool(!isDelete), dot: change.dot, hlc: change.hlc, context: context, inPlace: inPlace)
        if !isDelete {
            for operation in change.operations {
                let conflicted = try apply(operation, dot: change.dot, hlc: change.hlc, context: context, inPlace: inPlace)
                guard let (wasConflicted, isConflicted) = conflicted, wasConflicted != isConflicted else { continue }
                let key = ConflictKey(entity: entity, recordID: id, field: operation.field, kind: .concurrentValues)
                if isConflicted { opened.append(key) } else { closed.append(key) }
            }
        }
        version.insert(change.dot)
        let deleteConflictAfter = hasDeleteConflict
        if deleteConflictBefore != deleteConflictAfter {
            let key = ConflictKey(entity: entity, recordID: id, field: "", kind: .deleteVsEdit)
            if deleteConflictAfter { opened.append(key) } else { closed.append(key) }
        }
        if opened.count > 1 { opened.sort() }
        if closed.count > 1 { closed.sort() }
        return (true, opened, closed)
    }

    /// The general merge, for a change that writes one register twice (schema validation
    /// refuses those, but merging stays total): diffs the whole conflict sets.
    private mutating func applyComparingAllConflicts(_ change: Change, isDelete: Bool, inPlace: Bool) throws(MergeError) -> (Bool, [ConflictKey], [ConflictKey]) {
        let before = openConflicts
        existence.apply(.bool(!isDelete), dot: change.dot, hlc: change.hlc, context: change.context, inPlace: inPlace)
        if !isDelete {
            for operation in change.operations {
                _ = try apply(operation, dot: change.dot, hlc: change.hlc, context: change.context, inPlace: inPlace)
            }
        }
        version.insert(change.dot)
        let after = openConflicts
        return (true, after.subtracting(before).sorted(), before.subtracting(after).sorted())
    }

    /// The error applying `change` operation by operation would throw, found without applying
    /// anything: the first operation whose field already holds, or an earlier operation of the
    /// change makes it hold, another kind of state.
    private func kindMismatch(_ change: Change) -> MergeError? {
        for (position, operation) in change.operations.enumerated() {
            guard let kind = operation.operation.fieldKind else { continue }
            if let existing = fields[operation.field], existing.kind != kind {
                return .kindMismatch(field: operation.field)
            }
            let earlier = change.operations[..<position].contains { other in
                other.field == operation.field && other.operation.fieldKind.map { $0 != kind } ?? false
            }
            if earlier { return .kindMismatch(field: operation.field) }
        }
        return nil
    }

    /// Applies one operation. For a register write, returns whether the register was conflicted
    /// before the write and is after it.
    private mutating func apply(_ operation: FieldOperation, dot: Dot, hlc: HLC, context: VersionVector, inPlace: Bool) throws(MergeError) -> (Bool, Bool)? {
        let name = operation.field
        switch operation.operation {
        case .assign(let value):
            guard let index = fields.index(forKey: name) else {
                var register = RegisterState()
                register.apply(value, dot: dot, hlc: hlc, context: context, inPlace: true)
                fields[name] = .register(register)
                return (false, false)
            }
            guard case .register(var register) = fields.values[index] else {
                throw MergeError.kindMismatch(field: name)
            }
            // Park an empty value in the slot so that, when this state holds the only copy of
            // the dictionary, `register` holds the only copy of its siblings.
            if inPlace { fields.values[index] = Self.emptySlot }
            let wasConflicted = register.isConflicted
            register.apply(value, dot: dot, hlc: hlc, context: context, inPlace: inPlace)
            fields.values[index] = .register(register)
            return (wasConflicted, register.isConflicted)
        case .counter(let increments, let decrements):
            var counter: CounterState
            switch fields[name] {
            case nil: counter = CounterState()
            case .counter(let existing): counter = existing
            default: throw MergeError.kindMismatch(field: name)
            }
            counter.apply(replica: dot.replica, increments: increments, decrements: decrements)
            fields[name] = .counter(counter)
        case .add(let element), .remove(let element):
            var set: SetState
            switch fields[name] {
            case nil: set = SetState()
            case .set(let existing): set = existing
            default: throw MergeError.kindMismatch(field: name)
            }
            if case .add = operation.operation {
                set.add(element, dot: dot, context: context)
            } else {
                set.remove(element, context: context)
            }
            fields[name] = .set(set)
        case .delete:
            break
        }
        return nil
    }

    /// A field value that owns no storage.
    private static let emptySlot = FieldState.register(RegisterState())

    /// The state-based join with another replica's copy of the same record: the result holds
    /// every write either side holds that the other has not overwritten.
    ///
    /// Used when a device takes a snapshot while it still has local state; joining agrees with
    /// applying the same changes one by one.
    public func joined(_ other: RecordState) -> RecordState {
        var result = RecordState(entity: entity, id: id)
        result.version = version.joined(other.version)
        result.existence = existence.joined(other.existence, selfVersion: version, otherVersion: other.version)
        for name in Set(fields.keys).union(other.fields.keys) {
            switch (fields[name], other.fields[name]) {
            case (let mine?, nil):
                result.fields[name] = mine.filtered(coveredBy: other.version)
            case (nil, let theirs?):
                result.fields[name] = theirs.filtered(coveredBy: version)
            case (.register(let a)?, .register(let b)?):
                result.fields[name] = .register(a.joined(b, selfVersion: version, otherVersion: other.version))
            case (.counter(let a)?, .counter(let b)?):
                result.fields[name] = .counter(a.joined(b))
            case (.set(let a)?, .set(let b)?):
                result.fields[name] = .set(a.joined(b, selfVersion: version, otherVersion: other.version))
            default:
                result.fields[name] = fields[name]
            }
        }
        return result
    }
}

extension FieldState {
    /// This field joined with an absent field on a replica whose history is `version`.
    func filtered(coveredBy version: VersionVector) -> FieldState {
        switch self {
        case .register(let register):
            return .register(register.joined(RegisterState(), selfVersion: VersionVector(), otherVersion: version))
        case .counter:
            return self
        case .set(let set):
            return .set(set.joined(SetState(), selfVersion: VersionVector(), otherVersion: version))
        }
    }
}
