extension Schema {
    /// Checks a change against the schema: entity, record id, fields, operation kinds and value
    /// types. Read-only entities are refused unless `allowReadOnly` (the server's own writes).
    public func validate(_ change: Change, allowReadOnly: Bool = false) throws(ValidationError) {
        guard let entity = entity(change.entity) else {
            throw ValidationError(.unknownEntity, "unknown entity '\(change.entity)' (known: \(entityNames.joined(separator: ", ")))")
        }
        if entity.isReadOnly && !allowReadOnly {
            throw ValidationError(.readOnlyEntity, "\(entity.name) is reference data owned by the server and cannot be edited on a device")
        }
        guard RecordIDs.isValid(change.recordID) else {
            throw ValidationError(.invalidRecordID, "record id '\(change.recordID)' is not a lowercase UUID")
        }
        guard change.dot.counter > 0 else {
            throw ValidationError(.malformedChange, "dot counter must be positive")
        }
        // The context is the record's version before this write, so it cannot hold the write's
        // own dot; merging one that does would advance the record past writes it never saw.
        guard !change.context.covers(change.dot) else {
            throw ValidationError(.malformedChange, "context \(change.context) already covers the change's own dot \(change.dot)")
        }
        guard change.operations.count <= maxOperationsPerChange else {
            throw ValidationError(.tooManyOperations, "a change may carry at most \(maxOperationsPerChange) operations, this one has \(change.operations.count)")
        }
        if change.isDelete {
            guard change.operations.count == 1 else {
                throw ValidationError(.malformedChange, "a delete must be the only operation of its change")
            }
            return
        }
        var seen = Set<String>()
        for operation in change.operations {
            guard let field = entity.field(operation.field) else {
                throw ValidationError(.unknownField, "\(entity.name) has no field '\(operation.field)'")
            }
            if field.kind == .register {
                guard seen.insert(field.name).inserted else {
                    throw ValidationError(.malformedChange, "field '\(field.name)' is written twice in one change")
                }
            }
            try field.validate(operation.operation)
        }
    }
}

extension FieldSchema {
    /// Checks that an operation fits this field's kind and type.
    public func validate(_ operation: Operation) throws(ValidationError) {
        switch (kind, operation) {
        case (.register, .assign(let value)):
            if value == .null {
                if isRequired { throw ValidationError(.missingRequiredField, "field '\(name)' is required and cannot be cleared") }
                return
            }
            if isRequired, case .string(let text) = value, text.trimmingWhitespace().isEmpty {
                throw ValidationError(.missingRequiredField, "field '\(name)' is required and cannot be empty")
            }
            try type.validate(value, field: name)
        case (.counter, .counter(let increments, let decrements)):
            guard increments >= 0, decrements >= 0 else {
                throw ValidationError(.invalidValue, "counter '\(name)' totals must not be negative")
            }
            guard increments <= ValueLimits.maxCounterTotal, decrements <= ValueLimits.maxCounterTotal else {
                throw ValidationError(.invalidValue, "counter '\(name)' totals may not exceed \(ValueLimits.maxCounterTotal)")
            }
        case (.set, .add(let element)), (.set, .remove(let element)):
            try type.validate(.string(element), field: name)
        default:
            throw ValidationError(.kindMismatch, "field '\(name)' is a \(kind.rawValue); operation \(operation.name) does not apply to it")
        }
    }
}

extension Operation {
    public var name: String {
        switch self {
        case .assign: return "set"
        case .counter: return "counter"
        case .add: return "add"
        case .remove: return "remove"
        case .delete: return "delete"
        }
    }
}

/// Record id helpers.
public enum RecordIDs {
    /// True for a lowercase hyphenated UUID ("0192f0c4-…").
    public static func isValid(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 8, 13, 18, 23:
                if byte != UInt8(ascii: "-") { return false }
            default:
                let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
                let isHex = byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")
                if !isDigit && !isHex { return false }
            }
        }
        return true
    }
}
