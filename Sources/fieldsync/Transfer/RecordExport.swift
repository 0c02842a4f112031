import CRM
import FieldWork
import Foundation
import SyncCore
import SyncStore

/// Writes the visible records of entities as a fixture data set or CSV.
struct RecordExport {
    let bench: Workbench

    /// Every entity of `schema`, referenced entities before the entities that reference them
    /// (the schema's order otherwise), so a fixture written in this order imports in file order.
    static func dependencyOrder(_ schema: Schema) -> [EntitySchema] {
        var ordered: [EntitySchema] = []
        var placed = Set<String>()
        func place(_ entity: EntitySchema, visiting: Set<String>) {
            guard !placed.contains(entity.name), !visiting.contains(entity.name) else { return }
            for field in entity.fields {
                if case .reference(let target) = field.type, let referenced = schema.entity(target) {
                    place(referenced, visiting: visiting.union([entity.name]))
                }
            }
            placed.insert(entity.name)
            ordered.append(entity)
        }
        for entity in schema.entities { place(entity, visiting: []) }
        return ordered
    }

    func fixture(_ entities: [EntitySchema]) throws -> FixtureDataSet {
        var records: [FixtureDataSet.Record] = []
        for entity in entities {
            for record in try bench.store.records(entity.name, limit: Int.max) {
                var fields: [String: FixtureValue] = [:]
                for (name, display) in record.display {
                    switch display {
                    case .value(.null): continue
                    case .value(let value): fields[name] = .value(value)
                    case .members(let members): if !members.isEmpty { fields[name] = .elements(members) }
                    }
                }
                records.append(FixtureDataSet.Record(entity: entity.name, id: record.id, fields: fields))
            }
        }
        return FixtureDataSet(territories: [], users: [], records: records)
    }

    /// The visible records of one entity as CSV (`CSVExport`: an `id` column, then every
    /// field by name, so the file imports back with `fieldsync import-csv`).
    func csv(_ entity: EntitySchema, fields: [String]? = nil) throws -> String {
        let dataSet = CRMDataSet(states: try bench.store.allStates(entity.name), schema: bench.schema)
        return CSVExport.csv(dataSet, entity: entity, fields: fields)
    }
}
