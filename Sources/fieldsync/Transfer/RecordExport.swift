import CRM
import Foundation
import SyncCore
import SyncStore

/// Writes the visible records of entities as a fixture data set or CSV.
struct RecordExport {
    let bench: Workbench

    /// Referenced entities before the entities that reference them, so a fixture written in
    /// this order imports in file order.
    static let dependencyOrder = [
        "campaign", "product", "account", "contact", "opportunity", "quote", "lead", "activity", "order", "order_line", "ticket", "survey",
    ]

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

    func csv(_ entity: EntitySchema) throws -> String {
        let names = entity.fields.map(\.name)
        var lines = [(["id"] + names).map(Self.quoted).joined(separator: ",")]
        for record in try bench.store.records(entity.name, limit: Int.max) {
            let cells = names.map { name -> String in
                switch record.display[name] {
                case nil, .value(.null)?: return ""
                case .value(let value)?: return value.description
                case .members(let members)?: return members.joined(separator: ";")
                }
            }
            lines.append(([record.id] + cells).map(Self.quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 4180 quoting: cells with commas, quotes, line breaks or edge spaces are quoted.
    static func quoted(_ cell: String) -> String {
        let needsQuotes = cell.contains { $0 == "," || $0 == "\"" || $0.isNewline } || cell.first == " " || cell.last == " "
        return needsQuotes ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
    }
}
