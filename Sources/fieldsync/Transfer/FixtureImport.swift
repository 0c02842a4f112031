import CRM
import FieldWork
import Foundation
import SyncCore
import SyncStore

/// Reads a `fieldsync-fixture/1` file and creates its records in one store transaction.
///
/// The file's territories and users are optional here (a migration file may hold records
/// only). Each record is checked like a fixture record (field kinds, domain invariants,
/// declared territories); the store then checks the schema, ids and references, which may
/// name records created earlier in the file or already on the device.
struct FixtureImport {
    let bench: Workbench

    /// The file as written: only `format` and `records` are required.
    struct File: Decodable {
        var format: String
        var territories: [FixtureDataSet.Territory]?
        var users: [FixtureDataSet.User]?
        var records: [FixtureDataSet.Record]
    }

    struct Summary: Encodable {
        var imported: Int
        var records: [String: Int]
        var unsyncedChanges: Int

        func text(file: String) -> String {
            let counts = records.sorted { $0.key < $1.key }.map { "\(Labels.entity($0.key)) \($0.value)" }.joined(separator: ", ")
            return CLIString.importedFixture(["n": imported, "file": file, "counts": counts, "unsynced": unsyncedChanges])
        }
    }

    /// Reads and imports a fixture file in one transaction; the writing shows its progress on
    /// a terminal, and off one too with `progressOffTerminal` (`--progress`).
    func importFile(_ data: Data, progressOffTerminal: Bool = false) throws -> Summary {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch let error as DecodingError {
            let problem = DecodingProblem(error).description
            throw SyncCore.ValidationError(
                .malformedChange, .notAFixtureFile,
                ["reason": Refusal.Value.bilingual(english: problem, chinese: CLIPhrases.text(problem, .chinese))]
            )
        }
        guard file.format == FixtureDataSet.currentFormat else {
            throw SyncCore.ValidationError(.malformedChange, .fixtureFormat, ["format": file.format, "expected": FixtureDataSet.currentFormat])
        }
        let territories = Set((file.territories ?? []).map(\.name))
        var edits: [LocalEdit] = []
        edits.reserveCapacity(file.records.count)
        for (index, record) in file.records.enumerated() {
            do throws(SyncCore.ValidationError) {
                edits.append(try edit(for: record, territories: territories))
            } catch {
                throw StoreError(code: error.code.rawValue, .refusedRecord, ["index": index, "entity": record.entity, "id": record.id, "reason": error.refusal])
            }
        }
        let progress = CountProgress(offTerminal: progressOffTerminal)
        defer { progress.finish() }
        try bench.store.importRecords(edits, progress: progress.importProgress)
        return Summary(
            imported: edits.count,
            records: file.records.reduce(into: [:]) { $0[$1.entity, default: 0] += 1 },
            unsyncedChanges: try bench.store.status().pendingChanges
        )
    }

    private func edit(for record: FixtureDataSet.Record, territories: Set<String>) throws(SyncCore.ValidationError) -> LocalEdit {
        guard let entity = bench.schema.entity(record.entity) else {
            throw SyncCore.ValidationError(.unknownEntity, .unknownEntityListed, ["entity": record.entity, "known": bench.schema.entityNames.joined(separator: ", ")])
        }
        let operations = try record.operations(in: bench.schema)
        if case .territory(let field) = entity.scope, !territories.isEmpty,
           let territory = record.registerValues[field]?.stringValue, !territories.contains(territory) {
            throw SyncCore.ValidationError(.invalidValue, .territoryNotInFile, ["territory": territory])
        }
        try CRMRules.checkRecord(record.registerValues, of: entity)
        var local: [LocalOperation] = []
        for operation in operations {
            switch operation.operation {
            case .assign(let value):
                local.append(.set(operation.field, value))
            case .add(let element):
                local.append(.add(operation.field, element))
            case .remove(let element):
                local.append(.remove(operation.field, element))
            case .counter(let increments, let decrements):
                if increments > 0 { local.append(.increment(operation.field, by: increments)) }
                if decrements > 0 { local.append(.increment(operation.field, by: -decrements)) }
            case .delete:
                throw SyncCore.ValidationError(.malformedChange, .importCreatesOnly)
            }
        }
        return .create(entity.name, id: record.id, local)
    }
}
