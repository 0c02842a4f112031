import SyncCore

/// Exports the records of an entity as CSV for spreadsheets and migration (数据导出).
///
/// The first column is `id`, then the chosen fields in schema order (all fields by default),
/// headed by their field names so that the file imports back with the automatic mapping.
/// Cells hold displayed values: text as is, integers and decimals in canonical form, booleans
/// as true/false, unset fields empty, set members sorted and joined with `;`. Records are
/// sorted by id. The document follows RFC 4180 (CRLF line ends, quoting as needed).
public enum CSVExport {
    /// The CSV document of `entity`'s visible records in `dataSet`.
    public static func csv(_ dataSet: CRMDataSet, entity: EntitySchema, fields: [String]? = nil) -> String {
        CSVWriter.document(rows(dataSet, entity: entity, fields: fields))
    }

    /// The header and the rows, as cells.
    public static func rows(_ dataSet: CRMDataSet, entity: EntitySchema, fields: [String]? = nil) -> [[String]] {
        let chosen = fields.map(Set.init)
        let columns = entity.fields.filter { chosen?.contains($0.name) ?? true }
        var rows = [["id"] + columns.map(\.name)]
        for record in dataSet.records(of: entity.name) {
            rows.append([record.id] + columns.map { field in
                field.kind == .set ? record.members(field.name).joined(separator: ";") : cell(record.value(field.name))
            })
        }
        return rows
    }

    /// The text of one displayed value.
    public static func cell(_ value: Value) -> String {
        switch value {
        case .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .string(let text): return text
        }
    }
}
