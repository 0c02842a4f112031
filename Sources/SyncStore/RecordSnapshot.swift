import SyncCore

/// What a reader sees of one record: displayed values, set members, open conflicts.
public struct RecordSnapshot: Hashable, Sendable, Codable {
    public var entity: String
    public var id: RecordID
    /// Displayed register values and counter totals, by field.
    public var values: [String: Value]
    /// Set members, by field.
    public var sets: [String: [String]]
    /// Competing values of conflicted registers, by field.
    public var conflicts: [String: [Sibling]]
    /// A delete met a concurrent edit.
    public var deleteConflict: Bool
    public var deleted: Bool
    public var version: VersionVector
    public var lastModified: HLC

    public init(state: RecordState, policy: DeletionPolicy) {
        entity = state.entity
        id = state.id
        var values: [String: Value] = [:]
        var sets: [String: [String]] = [:]
        var conflicts: [String: [Sibling]] = [:]
        for (name, field) in state.fields {
            switch field {
            case .register(let register):
                values[name] = register.value
                if register.isConflicted { conflicts[name] = register.siblings.sorted(by: Sibling.displayOrder).reversed() }
            case .counter(let counter):
                values[name] = .int(counter.value)
            case .set(let set):
                sets[name] = set.members
            }
        }
        self.values = values
        self.sets = sets
        self.conflicts = conflicts
        deleteConflict = state.hasDeleteConflict
        deleted = state.isDeleted(policy: policy)
        version = state.version
        lastModified = state.lastModified
    }

    public func value(_ field: String) -> Value { values[field] ?? .null }

    public var hasConflicts: Bool { !conflicts.isEmpty || deleteConflict }

    /// The displayed values as one JSON-ready dictionary: registers and counters as values,
    /// sets as arrays. Stored beside the state so queries can filter without decoding it.
    public var display: [String: DisplayValue] {
        var result: [String: DisplayValue] = [:]
        for (name, value) in values { result[name] = .value(value) }
        for (name, members) in sets { result[name] = .members(members) }
        return result
    }
}

/// A displayed field: a single value or set members.
public enum DisplayValue: Hashable, Sendable, Codable {
    case value(Value)
    case members([String])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let members = try? container.decode([String].self) {
            self = .members(members)
        } else {
            self = .value(try container.decode(Value.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .value(let value): try container.encode(value)
        case .members(let members): try container.encode(members)
        }
    }
}
