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
        guard change.entity == entity, change.recordID == id else {
            throw MergeError.recordMismatch(expected: "\(entity)/\(id)", got: "\(change.entity)/\(change.recordID)")
        }
        if version.covers(change.dot) {
            return MergeOutcome(state: self, applied: false, opened: [], closed: [])
        }
        let before = openConflicts
        var next = self
        let context = change.context
        if change.isDelete {
            next.existence.apply(.bool(false), dot: change.dot, hlc: change.hlc, context: context)
        } else {
            next.existence.apply(.bool(true), dot: change.dot, hlc: change.hlc, context: context)
            for operation in change.operations {
                try next.apply(operation, dot: change.dot, hlc: change.hlc, context: context)
            }
        }
        next.version.insert(change.dot)
        let after = next.openConflicts
        return MergeOutcome(
            state: next,
            applied: true,
            opened: after.subtracting(before).sorted(),
            closed: before.subtracting(after).sorted()
        )
    }

    private mutating func apply(_ operation: FieldOperation, dot: Dot, hlc: HLC, context: VersionVector) throws(MergeError) {
        let name = operation.field
        switch operation.operation {
        case .assign(let value):
            var register: RegisterState
            switch fields[name] {
            case nil: register = RegisterState()
            case .register(let existing): register = existing
            default: throw MergeError.kindMismatch(field: name)
            }
            register.apply(value, dot: dot, hlc: hlc, context: context)
            fields[name] = .register(register)
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
    }

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
