import Foundation
import SyncCore

/// The pure half of a CSV import for migration (数据迁移): reads a file, maps its columns to
/// an entity's fields, cleans and validates every row, finds probable duplicates within the
/// file and against existing records, and returns a dry-run report with the records to create.
///
/// It writes nothing: the store applies the report's `creations` in one transaction, and only
/// when the report `canApply`.
///
/// Per row: each mapped cell is cleaned by `CellCleaner` (trim, half-width, phone and e-mail
/// normalisation, …) and checked against the field's type; reference cells (a contact's
/// account) take an id or the name of an existing record; `defaults` fill fields the row
/// leaves empty; required fields must be present; the whole record must pass
/// `CRMRules.checkRecord`; and `DuplicateIndex` keys are compared with existing records and
/// earlier rows.
public struct CSVImporter: Sendable {
    /// What to do with a row that is a probable duplicate.
    public enum DuplicatePolicy: String, Hashable, Sendable, Codable, CaseIterable {
        /// Report it as a warning and leave it out of the creations.
        case skip
        /// Report it as an error: the import cannot be applied until it is resolved.
        case reject
        /// Report it as a warning and create it anyway.
        case allow
    }

    public struct Options: Hashable, Sendable, Codable {
        /// The entity the rows create (account, contact, lead, …).
        public var entity: String
        /// The column mapping; nil maps the headers automatically.
        public var mapping: CSVColumnMapping?
        /// Typed text for fields a row leaves empty or the file has no column for, e.g.
        /// `["territory": "east", "owner": "alice"]`.
        public var defaults: [String: String]
        /// Tags added to every created record (when the entity has a `tags` set).
        public var tags: [String]
        public var duplicates: DuplicatePolicy
        /// The field separator, one ASCII character.
        public var delimiter: String
        /// The server's territories (the list the device's last sync brought): a territory
        /// cell is taken by key or title and stored as the key; others are `unknown_territory`.
        /// An empty list takes any territory.
        public var territories: TerritoryList
        /// The column mapping of the order lines file, nil to map its headers automatically.
        public var linesMapping: CSVColumnMapping?

        public init(
            entity: String, mapping: CSVColumnMapping? = nil, defaults: [String: String] = [:], tags: [String] = [],
            duplicates: DuplicatePolicy = .skip, delimiter: String = ",", territories: TerritoryList = TerritoryList(territories: []),
            linesMapping: CSVColumnMapping? = nil
        ) {
            self.entity = entity
            self.mapping = mapping
            self.defaults = defaults
            self.tags = tags
            self.duplicates = duplicates
            self.delimiter = delimiter
            self.territories = territories
            self.linesMapping = linesMapping
        }
    }

    public let options: Options
    public let existing: CRMDataSet
    public let schema: Schema
    /// The orders of the file being imported with their lines, by id: an order line's `order`
    /// cell names one of them by number.
    var importedOrders: [RecordID: [String: Value]] = [:]
    /// "lines" while the order lines file is checked, for the issues' `file`.
    var fileLabel: String?

    /// - Parameters:
    ///   - existing: the records already there, for duplicate detection and for looking up
    ///     referenced records by name.
    public init(options: Options, existing: CRMDataSet = CRMDataSet(records: []), schema: Schema = CRMSchema.schema) {
        self.options = options
        self.existing = existing
        self.schema = schema
    }

    /// Reads and checks a file without changing anything.
    public func dryRun(_ data: Data) -> CSVImportReport {
        let (table, issue) = parse(data)
        guard let table else {
            return CSVImportReport(entity: options.entity, columns: [], rowCount: 0, issues: issue.map { [$0] } ?? [], creations: [], skippedDuplicates: 0)
        }
        return dryRun(table)
    }

    /// The table of a file, or the file-level issue that keeps it from being read.
    func parse(_ data: Data) -> (table: CSVTable?, issue: CSVImportIssue?) {
        do {
            return (try CSVParser.parse(data, delimiter: options.delimiter.first ?? ","), nil)
        } catch {
            let code: CSVImportIssue.Code
            switch error.code {
            case .notUTF8: code = .notUTF8
            case .empty: code = .emptyFile
            case .unterminatedQuote, .textAfterQuote, .invalidDelimiter: code = .malformedCSV
            }
            return (nil, CSVImportIssue(.error, code, file: fileLabel, line: error.line, error.sentence))
        }
    }

    /// Checks an already parsed table without changing anything.
    public func dryRun(_ table: CSVTable) -> CSVImportReport {
        var issues: [CSVImportIssue] = []
        func fileReport(columns: [CSVImportReport.Column] = []) -> CSVImportReport {
            CSVImportReport(entity: options.entity, columns: columns, rowCount: table.rows.count, issues: issues, creations: [], skippedDuplicates: 0)
        }
        guard let entity = schema.entity(options.entity) else {
            issues.append(CSVImportIssue(.error, .unknownEntity, CSVImportSentence(.unknownEntity, ["entity": options.entity, "known": schema.entityNames.joined(separator: ", ")])))
            return fileReport()
        }
        guard !entity.isReadOnly else {
            issues.append(CSVImportIssue(.error, .readOnlyEntity, CSVImportSentence(.readOnlyEntity, ["entity": CSVImportSentence.Value.entity(entity.name)])))
            return fileReport()
        }
        guard entity.name != CRMSchema.orderLine.name || fileLabel != nil else {
            issues.append(CSVImportIssue(.error, .linesWithoutOrders, CSVImportSentence(.linesWithoutOrders)))
            return fileReport()
        }
        let (fields, columns) = mapColumns(table.header, entity: entity, issues: &issues)
        let defaults = parseDefaults(entity: entity, issues: &issues)
        let mappedFields = Set(fields.compactMap { $0 }).union(derivedFields(of: entity))
        let refusedDefaults = Set(issues.compactMap(\.field))
        for field in entity.requiredFields where !mappedFields.contains(field.name) && defaults[field.name] == nil && !refusedDefaults.contains(field.name) {
            let examples = (CSVColumnMapping.synonyms[entity.name] ?? [:]).filter { $0.value == field.name }.map(\.key).sorted().prefix(3)
            let hint = ([field.name] + examples).joined(separator: ", ")
            issues.append(CSVImportIssue(.error, .missingColumn, file: fileLabel, field: field.name, CSVImportSentence(.missingColumn, ["field": field.name, "hint": hint])))
        }
        guard !issues.contains(where: { $0.severity == .error }) else { return fileReport(columns: columns) }

        var inFile = DuplicateIndex()
        let known = DuplicateIndex(existing: existing, entity: entity.name)
        var creations: [RecordCreation] = []
        var skipped = 0
        for (offset, row) in table.rows.enumerated() {
            var rowIssues: [CSVImportIssue] = []
            let creation = check(row, number: offset + 1, header: table.header, fields: fields, entity: entity, defaults: defaults, issues: &rowIssues)
            // The index's keys and the kinds they were made from, in one order: the kind gives
            // the reason in the reader's language.
            let items = DuplicateKeys.keys(entity: entity.name, values: creation.values)
            let keys = DuplicateIndex.keys(entity: entity.name, values: creation.values)
            func shared(_ index: DuplicateIndex) -> (holder: DuplicateIndex.Holder, reason: CSVImportSentence.Value)? {
                for (item, key) in zip(items, keys) {
                    if let (holder, _) = index.match([key]) { return (holder, .sharedKey(item.kind, item.key)) }
                }
                return nil
            }
            var isDuplicate = false
            if let (holder, reason) = shared(known) {
                isDuplicate = true
                rowIssues.append(duplicateIssue(.duplicateOfExisting, row: row, number: offset + 1, .duplicateOfExisting, [
                    "entity": .entity(entity.name), "name": .verbatim(holder.name), "id": .verbatim(holder.id ?? ""), "reason": reason,
                ]))
            } else if let (holder, reason) = shared(inFile) {
                isDuplicate = true
                rowIssues.append(duplicateIssue(.duplicateInFile, row: row, number: offset + 1, .duplicateInFile, [
                    "line": .verbatim(holder.line.map(String.init) ?? ""), "reason": reason,
                ]))
            }
            inFile.insert(keys, holder: DuplicateIndex.Holder(line: row.line, description: "line \(row.line)"))
            let hasError = rowIssues.contains { $0.severity == .error }
            issues += rowIssues
            if isDuplicate && options.duplicates == .skip {
                skipped += 1
            } else if !hasError {
                creations.append(creation)
            }
        }
        return CSVImportReport(
            entity: entity.name, columns: columns, rowCount: table.rows.count, issues: issues, creations: creations, skippedDuplicates: skipped
        )
    }

    /// A probable duplicate: a warning saying what becomes of the row, or an error with `--on-duplicate reject`.
    private func duplicateIssue(
        _ code: CSVImportIssue.Code, row: CSVTable.Row, number: Int, _ message: CSVImportMessage, _ values: [String: CSVImportSentence.Value]
    ) -> CSVImportIssue {
        var sentence = CSVImportSentence(message)
        sentence.values = values
        switch options.duplicates {
        case .skip: sentence.values["then"] = .sentence(CSVImportSentence(.skipped))
        case .reject: sentence.values["then"] = .verbatim("")
        case .allow: sentence.values["then"] = .sentence(CSVImportSentence(.importedAnyway))
        }
        return CSVImportIssue(options.duplicates == .reject ? .error : .warning, code, file: fileLabel, line: row.line, row: number, sentence)
    }

    /// The field of each column (nil for ignored columns) and the mapping as reported.
    private func mapColumns(_ header: [String], entity: EntitySchema, issues: inout [CSVImportIssue]) -> ([String?], [CSVImportReport.Column]) {
        let mapping = options.mapping ?? CSVColumnMapping.automatic(headers: header, entity: entity)
        for (headerName, fieldName) in mapping.fieldsByHeader.sorted(by: { $0.key < $1.key }) where entity.field(fieldName) == nil {
            issues.append(CSVImportIssue(
                .error, .unknownField, file: fileLabel, column: headerName, field: fieldName,
                CSVImportSentence(.unknownField, ["entity": CSVImportSentence.Value.entity(entity.name), "field": fieldName])
            ))
        }
        var seenHeaders = Set<String>()
        var seenFields = Set<String>()
        var fields: [String?] = []
        var columns: [CSVImportReport.Column] = []
        for name in header {
            var field = mapping.field(forHeader: name).flatMap { entity.field($0) == nil ? nil : $0 }
            if !seenHeaders.insert(name).inserted {
                issues.append(CSVImportIssue(.warning, .duplicateHeader, file: fileLabel, column: name, CSVImportSentence(.duplicateColumn, ["column": name])))
                field = nil
            } else if let chosen = field, !seenFields.insert(chosen).inserted {
                issues.append(CSVImportIssue(.warning, .duplicateHeader, file: fileLabel, column: name, field: chosen, CSVImportSentence(.fieldFilledTwice, ["field": chosen])))
                field = nil
            } else if field == nil, !name.isEmpty {
                issues.append(CSVImportIssue(
                    .warning, .unmappedColumn, file: fileLabel, column: name,
                    CSVImportSentence(.unmappedColumn, ["entity": CSVImportSentence.Value.entity(entity.name), "column": name])
                ))
            }
            fields.append(field)
            columns.append(CSVImportReport.Column(header: name, field: field))
        }
        return (fields, columns)
    }

    /// The cleaned default values; an unknown field or a bad value is a file-level error.
    private func parseDefaults(entity: EntitySchema, issues: inout [CSVImportIssue]) -> [String: Value] {
        var values: [String: Value] = [:]
        for (name, text) in options.defaults.sorted(by: { $0.key < $1.key }) {
            guard let field = entity.field(name), field.kind == .register else {
                issues.append(CSVImportIssue(.error, .unknownField, field: name, CSVImportSentence(.noPlainField, ["entity": CSVImportSentence.Value.entity(entity.name), "field": name])))
                continue
            }
            do throws(CellCleaner.Problem) {
                if let value = try CellCleaner.value(text, for: field) { values[name] = try territory(value, of: field, in: entity) }
            } catch {
                issues.append(CSVImportIssue(
                    .error, error.code == .unknownTerritory ? .unknownTerritory : .invalidDefault, field: name,
                    CSVImportSentence(.invalidDefault, ["field": name, "reason": error.sentence])
                ))
            }
        }
        return values
    }
}
