import SyncCore

extension FixtureDataSet {
    /// Checks every user and record against `schema` and the CRM domain rules.
    ///
    /// A record must name a known entity, carry a unique lowercase UUID, give every required
    /// field, write each field in the form its kind expects (a value for registers and
    /// counters, an array of strings for sets) in canonical wire form, reference only records
    /// listed before it, name a declared territory, and satisfy `CRMRules.checkRecord`.
    ///
    /// - Throws: the first `FixtureError`, with the index of the offending record.
    public func validate(against schema: Schema) throws(FixtureError) {
        let territoryNames = Set(territories.map(\.name))
        try validateUsers(territoryNames: territoryNames)
        var seen: [RecordID: String] = [:]
        for (index, record) in records.enumerated() {
            func failure(_ error: ValidationError) -> FixtureError {
                FixtureError(recordIndex: index, entity: record.entity, recordID: record.id, code: error.code, message: error.message)
            }
            do throws(ValidationError) {
                try record.validate(against: schema, earlierRecords: seen, territories: territoryNames)
            } catch {
                throw failure(error)
            }
            guard seen[record.id] == nil else {
                throw failure(ValidationError(.invalidRecordID, .idUsedEarlier, ["id": record.id, "entity": seen[record.id] ?? "record"]))
            }
            seen[record.id] = record.entity
        }
    }

    private func validateUsers(territoryNames: Set<String>) throws(FixtureError) {
        let userNames = Set(users.map(\.name))
        guard userNames.count == users.count else {
            throw FixtureError(recordIndex: nil, code: .invalidValue, message: "user names must be unique")
        }
        for user in users {
            for territory in user.territories where !territoryNames.contains(territory) {
                throw FixtureError(recordIndex: nil, code: .invalidValue, message: "user \(user.name) works in unknown territory '\(territory)'")
            }
            for member in user.team where !userNames.contains(member) {
                throw FixtureError(recordIndex: nil, code: .invalidValue, message: "manager \(user.name) leads unknown user '\(member)'")
            }
            if user.role != .manager && !user.team.isEmpty {
                throw FixtureError(recordIndex: nil, code: .invalidValue, message: "user \(user.name) is a \(user.role.rawValue) and cannot lead a team")
            }
        }
    }
}

extension FixtureDataSet.Record {
    /// The field operations that create this record, in schema field order: `.assign` for
    /// each register, `.add` for each element of a set, and one `.counter` for a counter (a
    /// positive value as increments, a negative one as decrements). The caller stamps the dot,
    /// HLC and context when it turns them into a change.
    public func operations(in schema: Schema) throws(ValidationError) -> [FieldOperation] {
        guard let entity = schema.entity(entity) else {
            throw ValidationError(.unknownEntity, .unknownEntity, ["entity": self.entity])
        }
        for name in fields.keys.sorted() where entity.field(name) == nil {
            throw ValidationError(.unknownField, .noField, ["entity": entity.name, "field": name])
        }
        var operations: [FieldOperation] = []
        for field in entity.fields {
            guard let value = fields[field.name] else { continue }
            switch (field.kind, value) {
            case (.register, .value(let value)):
                operations.append(FieldOperation(field: field.name, operation: .assign(value)))
            case (.set, .elements(let elements)):
                for element in elements {
                    operations.append(FieldOperation(field: field.name, operation: .add(element)))
                }
            case (.counter, .value(.int(let total))):
                let operation: Operation = total >= 0
                    ? .counter(increments: total, decrements: 0)
                    : .counter(increments: 0, decrements: total == .min ? .max : -total)
                operations.append(FieldOperation(field: field.name, operation: operation))
            case (.set, .value):
                throw ValidationError(.kindMismatch, .setNeedsArray, ["field": field.name])
            case (.counter, _):
                throw ValidationError(.kindMismatch, .counterNeedsInteger, ["field": field.name])
            case (.register, .elements):
                throw ValidationError(.kindMismatch, .registerNeedsOneValue, ["field": field.name])
            }
        }
        return operations
    }

    /// The register values of this record, as `CRMRules` reads a record.
    public var registerValues: [String: Value] {
        fields.compactMapValues { if case .value(let value) = $0 { return value } else { return nil } }
    }

    fileprivate func validate(against schema: Schema, earlierRecords: [RecordID: String], territories: Set<String>) throws(ValidationError) {
        guard let entity = schema.entity(entity) else {
            throw ValidationError(.unknownEntity, .unknownEntityListed, ["entity": self.entity, "known": schema.entityNames.joined(separator: ", ")])
        }
        guard RecordIDs.isValid(id) else {
            throw ValidationError(.invalidRecordID, .recordIDNotUUID, ["id": id])
        }
        let operations = try operations(in: schema)
        guard operations.count <= schema.maxOperationsPerChange else {
            throw ValidationError(.tooManyOperations, .creationTooManyOperations, ["operations": operations.count, "limit": schema.maxOperationsPerChange])
        }
        var elementsSeen = Set<String>()
        for operation in operations {
            guard let field = entity.field(operation.field) else { continue }
            try field.validate(operation.operation)
            if case .add(let element) = operation.operation, !elementsSeen.insert("\(field.name)\u{0}\(element)").inserted {
                throw ValidationError(.invalidValue, .setElementTwice, ["field": field.name, "element": element])
            }
            if case .assign(.string(let target)) = operation.operation, let referenced = field.type.referencedEntity {
                guard let found = earlierRecords[target] else {
                    throw ValidationError(.invalidValue, .referenceNotListedBefore, ["field": field.name, "referenced": referenced, "target": target])
                }
                guard found == referenced else {
                    throw ValidationError(.typeMismatch, .referenceOfOtherEntity, ["field": field.name, "target": target, "found": found, "referenced": referenced])
                }
            }
        }
        let missing = entity.requiredFields.map(\.name).filter { (registerValues[$0] ?? .null) == .null }
        guard missing.isEmpty else {
            throw ValidationError(.missingRequiredField, .recordNeeds, ["entity": entity.name, "missing": missing.joined(separator: ", ")])
        }
        if case .territory(let fieldName) = entity.scope, !territories.isEmpty,
           let territory = registerValues[fieldName]?.stringValue, !territories.contains(territory) {
            throw ValidationError(.invalidValue, .territoryNotDeclared, ["territory": territory])
        }
        try CRMRules.checkRecord(registerValues, of: entity)
    }
}
