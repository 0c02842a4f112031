import SyncCore

/// One record an import will create: its entity and initial values, ready for the store to
/// turn into a creation change.
public struct RecordCreation: Hashable, Sendable, Codable {
    public var entity: String
    /// The id the record must have, when other records of the import name it (an order its
    /// lines name); nil lets the store choose one.
    public var id: RecordID?
    /// The line of the file the record comes from.
    public var line: Int
    /// The file it comes from when an import reads two ("lines"); nil for the main file.
    public var file: String?
    /// Register assignments in canonical wire form.
    public var values: [String: Value]
    /// Set members (tags) by field, sorted.
    public var sets: [String: [String]]
    /// Counter totals by field.
    public var counters: [String: Int64]

    public init(
        entity: String, id: RecordID? = nil, line: Int, file: String? = nil, values: [String: Value], sets: [String: [String]] = [:],
        counters: [String: Int64] = [:]
    ) {
        self.entity = entity
        self.id = id
        self.line = line
        self.file = file
        self.values = values
        self.sets = sets.mapValues { $0.sorted() }
        self.counters = counters
    }

    /// The field operations that create the record, in schema field order: `.assign` for each
    /// register, `.add` for each set member, one `.counter` per counter.
    ///
    /// - Throws: `.unknownEntity` or `.unknownField` when the schema does not know them.
    public func operations(in schema: Schema) throws(ValidationError) -> [FieldOperation] {
        guard let entity = schema.entity(entity) else {
            throw ValidationError(.unknownEntity, .unknownEntity, ["entity": self.entity])
        }
        let named = Set(values.keys).union(sets.keys).union(counters.keys)
        for name in named.sorted() where entity.field(name) == nil {
            throw ValidationError(.unknownField, .noField, ["entity": entity.name, "field": name])
        }
        var operations: [FieldOperation] = []
        for field in entity.fields {
            if let value = values[field.name] {
                operations.append(FieldOperation(field: field.name, operation: .assign(value)))
            }
            for member in sets[field.name] ?? [] {
                operations.append(FieldOperation(field: field.name, operation: .add(member)))
            }
            if let total = counters[field.name] {
                let operation: Operation = total >= 0
                    ? .counter(increments: total, decrements: 0)
                    : .counter(increments: 0, decrements: total == .min ? .max : -total)
                operations.append(FieldOperation(field: field.name, operation: operation))
            }
        }
        return operations
    }
}
