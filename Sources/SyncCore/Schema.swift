/// How a field merges.
public enum FieldKind: String, Hashable, Sendable, Codable {
    case register, counter, set
}

/// What a record deletion does against a concurrent edit.
public enum DeletionPolicy: String, Hashable, Sendable, Codable {
    /// A delete concurrent with an edit does not remove the record; the pair is a conflict.
    case updateWins
    /// A delete concurrent with an edit removes the record; the edit is kept in state and the
    /// pair is a conflict.
    case deleteWins
}

/// The type of a field's values.
public enum ValueType: Hashable, Sendable {
    case string(maxLength: Int)
    case int(min: Int64, max: Int64)
    /// A decimal number, carried as a canonical string ("1200.5").
    case decimal
    case bool
    /// A calendar day, "YYYY-MM-DD".
    case date
    /// An instant, ISO 8601 in UTC, "YYYY-MM-DDTHH:MM:SSZ".
    case timestamp
    /// One of a fixed list of strings.
    case enumeration([String])
    /// The id of a record of another entity.
    case reference(String)

    public var name: String {
        switch self {
        case .string: return "string"
        case .int: return "integer"
        case .decimal: return "decimal"
        case .bool: return "bool"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .enumeration: return "enum"
        case .reference(let entity): return "reference(\(entity))"
        }
    }

    public static let text = ValueType.string(maxLength: 200)
    public static let longText = ValueType.string(maxLength: 4000)
    public static let integer = ValueType.int(min: Int64.min, max: Int64.max)
}

/// One field of an entity.
public struct FieldSchema: Hashable, Sendable {
    public var name: String
    public var kind: FieldKind
    public var type: ValueType
    /// Must be given when a record is created, and may not be cleared.
    public var isRequired: Bool
    public var summary: String

    public init(_ name: String, _ type: ValueType, kind: FieldKind = .register, required: Bool = false, summary: String = "") {
        self.name = name
        self.kind = kind
        self.type = type
        self.isRequired = required
        self.summary = summary
    }
}

/// How a record finds the territory that decides who may see it.
public enum ScopeRule: Hashable, Sendable {
    /// Everyone sees it (reference data such as products).
    case global
    /// The record names its territory in this field (accounts, leads).
    case territory(field: String)
    /// The record belongs to the account this reference field names, and follows it.
    case account(field: String)
}

/// One entity: its fields, deletion policy and where it sits in the scope tree.
public struct EntitySchema: Hashable, Sendable {
    public var name: String
    public var fields: [FieldSchema]
    public var deletionPolicy: DeletionPolicy
    /// Reference data owned by the server: devices read it but may not write it.
    public var isReadOnly: Bool
    /// Where the record sits in the scope tree.
    public var scope: ScopeRule
    /// The fields a table shows by default.
    public var listFields: [String]
    public var summary: String
    /// Register fields a workflow writes together (a stage move sets the probability, close
    /// date and lost reason with the stage): resolving a conflict on one of them settles the
    /// others to the same side in the same change.
    public var coupledFields: [[String]]
    /// Fields that only their workflow writes (see `WorkflowOwnership`).
    public var workflowOwnedFields: [WorkflowOwnership]

    private let fieldIndex: [String: Int]

    public init(
        name: String,
        fields: [FieldSchema],
        deletionPolicy: DeletionPolicy = .updateWins,
        isReadOnly: Bool = false,
        scope: ScopeRule = .global,
        listFields: [String] = [],
        summary: String = "",
        coupledFields: [[String]] = [],
        workflowOwnedFields: [WorkflowOwnership] = []
    ) {
        self.name = name
        self.fields = fields
        self.deletionPolicy = deletionPolicy
        self.isReadOnly = isReadOnly
        self.scope = scope
        self.listFields = listFields.isEmpty ? Array(fields.prefix(4).map(\.name)) : listFields
        self.summary = summary
        self.coupledFields = coupledFields
        self.workflowOwnedFields = workflowOwnedFields
        var index: [String: Int] = [:]
        for (position, field) in fields.enumerated() { index[field.name] = position }
        self.fieldIndex = index
    }

    public func field(_ name: String) -> FieldSchema? {
        fieldIndex[name].map { fields[$0] }
    }

    public var requiredFields: [FieldSchema] { fields.filter(\.isRequired) }

    /// The other fields written together with `name` (see `coupledFields`).
    public func fields(coupledWith name: String) -> [String] {
        coupledFields.first { $0.contains(name) }?.filter { $0 != name } ?? []
    }

    public var referenceFields: [FieldSchema] {
        fields.filter { if case .reference = $0.type { return true } else { return false } }
    }
}

/// Every entity a replica knows, with the limits that protect it.
public struct Schema: Sendable {
    public var entities: [EntitySchema]
    public var maxOperationsPerChange: Int

    private let entityIndex: [String: Int]

    public init(entities: [EntitySchema], maxOperationsPerChange: Int = 64) {
        self.entities = entities
        self.maxOperationsPerChange = maxOperationsPerChange
        var index: [String: Int] = [:]
        for (position, entity) in entities.enumerated() { index[entity.name] = position }
        self.entityIndex = index
    }

    public func entity(_ name: String) -> EntitySchema? {
        entityIndex[name].map { entities[$0] }
    }

    public var entityNames: [String] { entities.map(\.name) }
}
