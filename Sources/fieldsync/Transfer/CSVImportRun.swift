import CRM
import FieldWork
import Foundation
import SyncCore
import SyncStore

/// A CSV import on the device (数据迁移): the dry run of `CSVImporter` against the records
/// already here, and, when asked and possible, the creations applied all-or-nothing in one
/// store transaction.
struct CSVImportRun {
    let bench: Workbench

    /// What the import was asked to do.
    struct Request {
        var entity: EntitySchema
        var data: Data
        /// `header=field` overrides of the automatic mapping; an empty field ignores the column.
        var overrides: [FieldAssignment]
        var defaults: [FieldAssignment]
        var tags: [String]
        var duplicates: CSVImporter.DuplicatePolicy
        var delimiter: String
        /// The order lines file of an order import.
        var lines: Data?
    }

    /// What happened: the dry-run report and, when applied, the records created.
    struct Outcome: Encodable {
        var applied: Bool
        var created: [RecordID]
        var report: CSVImportReport
    }

    /// Checks the file, and applies it unless `dryRun` or the report has errors. Nothing is
    /// written unless every row can be. The writing shows its progress on a terminal, and
    /// off one too with `progressOffTerminal` (`--progress`).
    func run(_ request: Request, dryRun: Bool, progressOffTerminal: Bool = false) throws -> Outcome {
        let options = CSVImporter.Options(
            entity: request.entity.name, mapping: try mapping(for: request),
            defaults: Dictionary(request.defaults.map { ($0.field, $0.text) }, uniquingKeysWith: { _, last in last }),
            tags: request.tags, duplicates: request.duplicates, delimiter: request.delimiter, territories: try bench.store.territories()
        )
        let existing = try DeviceReports(store: bench.store).dataSet()
        let importer = CSVImporter(options: options, existing: existing, schema: bench.schema)
        let report = request.lines.map { importer.dryRun(orders: request.data, lines: $0) } ?? importer.dryRun(request.data)
        guard !dryRun, report.canApply, !report.creations.isEmpty else {
            return Outcome(applied: false, created: [], report: report)
        }
        let edits = try report.creations.map { creation in
            LocalEdit.create(creation.entity, id: creation.id ?? RecordIDs.make(), try Self.operations(creation, schema: bench.schema))
        }
        let progress = CountProgress(offTerminal: progressOffTerminal)
        defer { progress.finish() }
        let changes = try bench.store.importRecords(edits, progress: progress.importProgress)
        return Outcome(applied: true, created: changes.map(\.recordID), report: report)
    }

    /// The automatic mapping of the file's header with the `--map` overrides laid over it;
    /// nil (automatic) without overrides, or when the file cannot be parsed (the dry run
    /// reports why).
    private func mapping(for request: Request) throws -> CSVColumnMapping? {
        guard !request.overrides.isEmpty else { return nil }
        let table: CSVTable
        do {
            table = try CSVParser.parse(request.data, delimiter: request.delimiter.first ?? ",")
        } catch {
            return nil
        }
        var fields = CSVColumnMapping.automatic(headers: table.header, entity: request.entity).fieldsByHeader
        for override in request.overrides {
            let header = override.field
            let field = override.text.trimmingCharacters(in: .whitespaces)
            guard table.header.contains(header) else {
                throw SyncCore.ValidationError(
                    .invalidValue, .mapWithoutColumn, ["header": header, "field": field, "columns": table.header.joined(separator: ", ")]
                )
            }
            // The override takes the field from whichever column the automatic mapping gave it.
            fields = fields.filter { $0.key != header && (field.isEmpty || $0.value != field) }
            if !field.isEmpty { fields[header] = field }
        }
        return CSVColumnMapping(fields)
    }

    /// The store operations that create a record.
    static func operations(_ creation: RecordCreation, schema: Schema) throws -> [LocalOperation] {
        try creation.operations(in: schema).compactMap { operation -> LocalOperation? in
            switch operation.operation {
            case .assign(let value): return .set(operation.field, value)
            case .add(let element): return .add(operation.field, element)
            case .remove(let element): return .remove(operation.field, element)
            case .counter(let increments, let decrements):
                let (total, overflow) = increments.subtractingReportingOverflow(decrements)
                guard !overflow else {
                    throw SyncCore.ValidationError(.invalidValue, .lineOutOfRange, ["line": creation.line, "field": operation.field])
                }
                return total == 0 ? nil : .increment(operation.field, by: total)
            case .delete:
                throw SyncCore.ValidationError(.malformedChange, .importCreatesOnly)
            }
        }
    }
}
