/// The full mergeable state of one record on one replica.
///
/// Besides its fields, a record has an existence register: every change writes `true` into it
/// with its own dot, a delete writes `false`. A delete concurrent with an edit therefore leaves
/// both siblings, and the entity's deletion policy decides what a reader sees.
public struct RecordState: Hashable, Sendable, Codable {
    public var entity: String
    public var id: RecordID
    /// The join of the dots applied to this record.
    public var version: VersionVector
    public var existence: RegisterState
    public var fields: [String: FieldState]

    public init(entity: String, id: RecordID) {
        self.entity = entity
        self.id = id
        self.version = VersionVector()
        self.existence = RegisterState()
        self.fields = [:]
    }

    /// Gives every value the write `dot` left (its existence sibling and its register
    /// siblings) the stamp `hlc`. Sets and counters carry no stamp.
    public mutating func restamp(_ dot: Dot, to hlc: HLC) {
        existence.restamp(dot, to: hlc)
        for (name, field) in fields {
            guard case .register(var register) = field, register.siblings.contains(where: { $0.dot == dot }) else { continue }
            register.restamp(dot, to: hlc)
            fields[name] = .register(register)
        }
    }

    /// The stamp of the values the write `dot` left here (its existence sibling or a register
    /// sibling; all carry the change's stamp), nil when later writes covered them all.
    public func stamp(of dot: Dot) -> HLC? {
        if let sibling = existence.siblings.first(where: { $0.dot == dot }) { return sibling.hlc }
        for field in fields.values {
            if let sibling = field.register?.siblings.first(where: { $0.dot == dot }) { return sibling.hlc }
        }
        return nil
    }

    /// True when a reader sees no record under `policy`.
    public func isDeleted(policy: DeletionPolicy) -> Bool {
        let (live, deleted) = existenceValues
        guard deleted else { return false }
        switch policy {
        case .updateWins: return !live
        case .deleteWins: return true
        }
    }

    /// True when a delete is concurrent with an edit it did not see.
    public var hasDeleteConflict: Bool {
        let (live, deleted) = existenceValues
        return live && deleted
    }

    /// Whether the existence register holds a `true` (an edit) and a `false` (a delete).
    private var existenceValues: (live: Bool, deleted: Bool) {
        var live = false
        var deleted = false
        for sibling in existence.siblings {
            switch sibling.value {
            case .bool(true): live = true
            case .bool(false): deleted = true
            default: break
            }
        }
        return (live, deleted)
    }

    public func value(of field: String) -> Value {
        fields[field]?.displayValue ?? .null
    }

    /// The conflicts visible in this record's state alone (not orphans or duplicates, which
    /// need other records).
    public var openConflicts: Set<ConflictKey> {
        var keys = Set<ConflictKey>()
        for (name, field) in fields {
            if case .register(let register) = field, register.isConflicted {
                keys.insert(ConflictKey(entity: entity, recordID: id, field: name, kind: .concurrentValues))
            }
        }
        if hasDeleteConflict {
            keys.insert(ConflictKey(entity: entity, recordID: id, field: "", kind: .deleteVsEdit))
        }
        return keys
    }

    /// The latest HLC among the writes still present: when a reader last saw this record change.
    public var lastModified: HLC {
        var latest: HLC?
        for sibling in existence.siblings where latest.map({ $0 < sibling.hlc }) ?? true {
            latest = sibling.hlc
        }
        return latest ?? .zero
    }
}
