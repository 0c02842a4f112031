/// The id of a record: a lowercase UUID text made on the device that created the record.
public typealias RecordID = String

/// What one change does to one field of a record (or to the record itself).
public enum Operation: Hashable, Sendable {
    /// Writes a register.
    case assign(Value)
    /// Publishes the writer's cumulative increments and decrements of a counter.
    ///
    /// Carrying totals rather than deltas makes the merge a per-replica maximum, so a
    /// duplicated change cannot count twice.
    case counter(increments: Int64, decrements: Int64)
    /// Adds an element to an add-wins set.
    case add(String)
    /// Removes the observed adds of an element from an add-wins set.
    case remove(String)
    /// Deletes the record.
    case delete

    /// True for a register write.
    var isAssignment: Bool {
        if case .assign = self { return true }
        return false
    }

    /// The kind of field this operation writes; nil for `.delete`.
    var fieldKind: FieldKind? {
        switch self {
        case .assign: return .register
        case .counter: return .counter
        case .add, .remove: return .set
        case .delete: return nil
        }
    }
}

/// One field operation inside a change.
public struct FieldOperation: Hashable, Sendable {
    /// The field name; empty for `.delete`.
    public var field: String
    public var operation: Operation

    public init(field: String, operation: Operation) {
        self.field = field
        self.operation = operation
    }

    public static let delete = FieldOperation(field: "", operation: .delete)
}

/// A causally stamped edit of one record: the unit of sync.
///
/// All operations of a change share its dot, HLC and context. A change either deletes the
/// record (a single `.delete` operation) or updates fields.
public struct Change: Hashable, Sendable {
    public var entity: String
    public var recordID: RecordID
    public var dot: Dot
    public var hlc: HLC
    /// The record's version vector on the writer when the write was made.
    public var context: VersionVector
    public var operations: [FieldOperation]

    public init(entity: String, recordID: RecordID, dot: Dot, hlc: HLC, context: VersionVector, operations: [FieldOperation]) {
        self.entity = entity
        self.recordID = recordID
        self.dot = dot
        self.hlc = hlc
        self.context = context
        self.operations = operations
    }

    public var isDelete: Bool {
        operations.contains { $0.operation == .delete }
    }

    /// True when two operations assign the same register (a malformed change).
    var writesARegisterTwice: Bool {
        guard operations.count > 1 else { return false }
        for (position, operation) in operations.enumerated() where operation.operation.isAssignment {
            for later in operations[(position + 1)...] where later.operation.isAssignment && later.field == operation.field {
                return true
            }
        }
        return false
    }

    /// The names of the fields this change writes.
    public var fields: [String] { operations.map(\.field).filter { !$0.isEmpty } }
}

extension FieldOperation: Codable {
    enum CodingKeys: String, CodingKey {
        case field, op, value, inc, dec
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let op = try container.decode(String.self, forKey: .op)
        switch op {
        case "set":
            field = try container.decode(String.self, forKey: .field)
            operation = .assign(try container.decodeIfPresent(Value.self, forKey: .value) ?? .null)
        case "counter":
            field = try container.decode(String.self, forKey: .field)
            operation = .counter(
                increments: try container.decode(Int64.self, forKey: .inc),
                decrements: try container.decode(Int64.self, forKey: .dec)
            )
        case "add":
            field = try container.decode(String.self, forKey: .field)
            operation = .add(try container.decode(String.self, forKey: .value))
        case "remove":
            field = try container.decode(String.self, forKey: .field)
            operation = .remove(try container.decode(String.self, forKey: .value))
        case "delete":
            field = ""
            operation = .delete
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .op, in: container,
                debugDescription: "unknown operation '\(op)' (expected set, counter, add, remove or delete)"
            )
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch operation {
        case .assign(let value):
            try container.encode(field, forKey: .field)
            try container.encode("set", forKey: .op)
            try container.encode(value, forKey: .value)
        case .counter(let increments, let decrements):
            try container.encode(field, forKey: .field)
            try container.encode("counter", forKey: .op)
            try container.encode(increments, forKey: .inc)
            try container.encode(decrements, forKey: .dec)
        case .add(let element):
            try container.encode(field, forKey: .field)
            try container.encode("add", forKey: .op)
            try container.encode(element, forKey: .value)
        case .remove(let element):
            try container.encode(field, forKey: .field)
            try container.encode("remove", forKey: .op)
            try container.encode(element, forKey: .value)
        case .delete:
            try container.encode("delete", forKey: .op)
        }
    }
}

extension Change: Codable {
    enum CodingKeys: String, CodingKey {
        case entity, recordID = "id", dot, hlc, context = "ctx", operations = "ops"
    }
}
