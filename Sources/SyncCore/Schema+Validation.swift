extension Schema {
    /// Checks a change against the schema: entity, record id, fields, operation kinds and value
    /// types. Read-only entities are refused unless `allowReadOnly` (the server's own writes).
    public func validate(_ change: Change, allowReadOnly: Bool = false) throws(ValidationError) {
        guard let entity = entity(change.entity) else {
            throw ValidationError(.unknownEntity, .unknownEntityListed, ["entity": change.entity, "known": entityNames.joined(separator: ", ")])
        }
        if entity.isReadOnly && !allowReadOnly {
            throw ValidationError(.readOnlyEntity, .readOnlyEntity, ["entity": entity.name])
        }
        guard RecordIDs.isValid(change.recordID) else {
            throw ValidationError(.invalidRecordID, .recordIDNotUUID, ["id": change.recordID])
        }
        guard change.dot.counter > 0 else {
            throw ValidationError(.malformedChange, .dotCounterNotPositive)
        }
        // The context is the record's version before this write, so it cannot hold the write's
        // own dot; merging one that does would advance the record past writes it never saw.
        guard !change.context.covers(change.dot) else {
            throw ValidationError(.malformedChange, .contextCoversOwnDot, ["context": change.context, "dot": change.dot])
        }
        guard change.operations.count <= maxOperationsPerChange else {
            throw ValidationError(.tooManyOperations, .tooManyOperations, ["limit": maxOperationsPerChange, "operations": change.operations.count])
        }
        if change.isDelete {
            guard change.operations.count == 1 else {
                throw ValidationError(.malformedChange, .deleteNotAlone)
            }
            return
        }
        var seen = Set<String>()
        for operation in change.operations {
            guard let field = entity.field(operation.field) else {
                throw ValidationError(.unknownField, .noField, ["entity": entity.name, "field": operation.field])
            }
            if field.kind == .register {
                guard seen.insert(field.name).inserted else {
                    throw ValidationError(.malformedChange, .fieldWrittenTwice, ["field": field.name])
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
                if isRequired { throw ValidationError(.missingRequiredField, .requiredFieldCleared, ["field": name]) }
                return
            }
            if isRequired, case .string(let text) = value, text.trimmingWhitespace().isEmpty {
                throw ValidationError(.missingRequiredField, .requiredFieldEmpty, ["field": name])
            }
            try type.validate(value, field: name)
        case (.counter, .counter(let increments, let decrements)):
            guard increments >= 0, decrements >= 0 else {
                throw ValidationError(.invalidValue, .counterNegative, ["field": name])
            }
            guard increments <= ValueLimits.maxCounterTotal, decrements <= ValueLimits.maxCounterTotal else {
                throw ValidationError(.invalidValue, .counterTooLarge, ["field": name, "limit": ValueLimits.maxCounterTotal])
            }
        case (.set, .add(let element)), (.set, .remove(let element)):
            try type.validate(.string(element), field: name)
        default:
            throw ValidationError(.kindMismatch, .operationDoesNotApply, ["field": name, "kind": kind.rawValue, "operation": operation.name])
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
