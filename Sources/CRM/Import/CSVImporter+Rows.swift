import SyncCore

extension CSVImporter {
    /// Cleans and checks one row; problems go to `issues`, and the record it would create is
    /// returned either way (so that duplicates are still found on rows with errors).
    func check(
        _ row: CSVTable.Row, number: Int, header: [String], fields: [String?], entity: EntitySchema,
        defaults: [String: Value], issues: inout [CSVImportIssue]
    ) -> RecordCreation {
        func issue(_ severity: CSVImportIssue.Severity, _ code: CSVImportIssue.Code, column: String? = nil, field: String? = nil, _ sentence: CSVImportSentence) {
            issues.append(CSVImportIssue(severity, code, file: fileLabel, line: row.line, row: number, column: column, field: field, sentence))
        }
        if row.fields.count > header.count {
            issue(.error, .extraValues, CSVImportSentence(.extraValues, ["values": row.fields.count, "columns": header.count]))
        } else if row.fields.count < header.count {
            issue(.warning, .missingValues, CSVImportSentence(.missingValues, ["values": row.fields.count, "columns": header.count]))
        }
        var values: [String: Value] = [:]
        var sets: [String: [String]] = [:]
        var counters: [String: Int64] = [:]
        var columnOfField: [String: String] = [:]
        // A contact is looked for among the contacts of the row's account, known after the loop.
        var contactCell: (field: String, column: String, raw: String)?
        for (index, fieldName) in fields.enumerated() {
            guard let fieldName, let field = entity.field(fieldName) else { continue }
            let column = header[index]
            columnOfField[fieldName] = column
            let raw = index < row.fields.count ? row.fields[index] : ""
            do throws(CellCleaner.Problem) {
                switch field.kind {
                case .set:
                    let members = try CellCleaner.members(raw, for: field)
                    if !members.isEmpty { sets[fieldName] = members }
                case .counter:
                    if case .int(let total)? = try CellCleaner.value(raw, for: field) { counters[fieldName] = total }
                case .register:
                    if field.type.referencedEntity == CRMSchema.contact.name, entity.field("account") != nil {
                        contactCell = (fieldName, column, raw)
                    } else if let referenced = field.type.referencedEntity {
                        if let id = try resolveReference(raw, to: referenced) { values[fieldName] = .string(id) }
                    } else if let value = try CellCleaner.value(raw, for: field) {
                        values[fieldName] = try territory(value, of: field, in: entity)
                    }
                }
            } catch {
                issue(.error, error.code, column: column, field: fieldName, error.sentence)
            }
        }
        for (name, value) in defaults where values[name] == nil { values[name] = value }
        if let contactCell {
            do throws(CellCleaner.Problem) {
                if let id = try resolveContact(contactCell.raw, account: values["account"]?.stringValue) { values[contactCell.field] = .string(id) }
            } catch {
                issue(.error, error.code, column: contactCell.column, field: contactCell.field, error.sentence)
            }
        }
        if entity.name == CRMSchema.orderLine.name {
            do throws(CellCleaner.Problem) {
                try deriveLine(&values)
            } catch {
                issue(.error, error.code, column: error.field.flatMap { columnOfField[$0] }, field: error.field, error.sentence)
            }
        }
        if !options.tags.isEmpty, let tags = entity.field("tags"), tags.kind == .set {
            sets["tags"] = Array(Set(sets["tags", default: []] + options.tags.map(Normalization.text))).sorted()
        }
        var failed = Set(issues.compactMap(\.field))
        // A line whose order is not found has no account to take from it: one error says why.
        if entity.name == CRMSchema.orderLine.name && failed.contains("order") { failed.insert("account") }
        for field in entity.requiredFields where values[field.name] == nil && !failed.contains(field.name) {
            let column = columnOfField[field.name]
            let values: KeyValuePairs<String, Any> = ["entity": CSVImportSentence.Value.entity(entity.name), "field": field.name, "column": column ?? ""]
            issue(.error, .missingValue, column: column, field: field.name, CSVImportSentence(column == nil ? .missingValue : .missingValueInColumn, values))
        }
        if !issues.contains(where: { $0.severity == .error }) {
            do throws(ValidationError) {
                try CRMRules.checkRecord(values, of: entity)
            } catch {
                issue(.error, .invalidValue, .refusal(error.message, code: error.code.rawValue))
            }
        }
        return RecordCreation(entity: entity.name, line: row.line, file: fileLabel, values: values, sets: sets, counters: counters)
    }

    /// The id a reference cell names: an id of an existing record, or the name (title, number
    /// or sku) of exactly one existing record, compared by `Normalization.key`. Nil for an
    /// empty cell. An order line's order is one of the orders imported with it, by number.
    func resolveReference(_ raw: String, to entity: String) throws(CellCleaner.Problem) -> String? {
        let text = Normalization.text(raw)
        guard !text.isEmpty else { return nil }
        if entity == CRMSchema.order.name, fileLabel != nil {
            return try importedOrder(numbered: text)
        }
        let records = existing.records(of: entity)
        let lowered = text.lowercased()
        if RecordIDs.isValid(lowered) {
            guard records.contains(where: { $0.id == lowered }) else {
                throw CellCleaner.Problem(code: .unknownReference, CSVImportSentence(.unknownID, ["entity": CSVImportSentence.Value.entity(entity), "id": lowered]))
            }
            return lowered
        }
        let key = Normalization.key(text)
        let matches = records.filter { record in
            ["name", "title", "number", "sku"].contains { record.text($0).map(Normalization.key) == key }
        }
        guard let first = matches.first else {
            throw CellCleaner.Problem(code: .unknownReference, CSVImportSentence(.unknownName, ["entity": CSVImportSentence.Value.entity(entity), "name": text]))
        }
        guard matches.count == 1 else {
            let candidates = matches.prefix(5).map { record in
                "\(record.id)" + (record.text("city").map { " (\($0))" } ?? "")
            }.joined(separator: ", ")
            throw CellCleaner.Problem(
                code: .ambiguousReference,
                CSVImportSentence(.ambiguousName, ["n": matches.count, "entity": CSVImportSentence.Value.entity(entity), "name": text, "candidates": candidates])
            )
        }
        return first.id
    }
}
