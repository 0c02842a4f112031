import CRM
import FieldWork
import SyncCore
import SyncStore

/// Human text for records: tables for lists, a field list for one record.
enum RecordText {
    /// A table of records with the entity's list fields.
    static func table(_ records: [RecordSnapshot], entity: EntitySchema, ids: ShortIDs, fields: [String]? = nil) throws -> String {
        let names = fields ?? entity.listFields
        var table = TextTable(columns: [TextTable.Column("ID", maxWidth: 36)] + names.map {
            TextTable.Column(Labels.header($0), maxWidth: 36, alignRight: Cells.isNumeric(entity.field($0)))
        })
        for record in records {
            table.append([try ids(entity.name, record.id)] + names.map { Cells.field(entity.field($0), named: $0, of: record) })
        }
        var text = table.render()
        if records.contains(where: { $0.hasConflicts }) {
            text += "\n" + CLIString.conflictFootnote()
        }
        return text
    }

    /// One record: every field that has a value, in schema order, then its conflicts. A
    /// reference shows the name of the record it names when `label` finds it
    /// (`account  0192f0c4-…  (上海华科电子)`).
    static func detail(_ record: RecordSnapshot, entity: EntitySchema, schema: Schema, label: (_ entity: String, _ id: String) -> String? = { _, _ in nil }) -> String {
        var lines = ["\(Labels.entity(entity.name)) \(record.id)  \(RecordLabel.of(record, schema: schema))"]
        if record.deleted { lines.append(CLIString.deletedMark()) }
        var list = KeyValueList()
        for field in entity.fields {
            var text = Cells.field(field, named: field.name, of: record)
            if case .reference(let target) = field.type, let id = record.display[field.name].flatMap(Cells.referencedID), let name = label(target, id) {
                text += "  (\(name))"
            }
            if !text.isEmpty { list.append(Labels.field(field.name), text) }
        }
        list.append(CLIString.modified(), Days.time(record.lastModified))
        lines.append(list.render(indent: "  "))
        if !record.conflicts.isEmpty || record.deleteConflict {
            lines.append("")
            lines.append(CLIString.conflictsHeading())
            var table = TextTable(CLIString.headerField(), CLIString.headerValue(), CLIString.headerReplica(), CLIString.headerWrittenAt())
            for field in record.conflicts.keys.sorted() {
                for sibling in record.conflicts[field] ?? [] {
                    table.append([Labels.field(field), Labels.value(Cells.text(sibling.value), of: entity.field(field)), sibling.dot.replica.short, Days.time(sibling.hlc)])
                }
            }
            lines.append(table.render())
            if record.deleteConflict {
                lines.append(record.deleted ? CLIString.deleteWins() : CLIString.deleteKept())
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The related records under a record's detail.
    static func groups(_ groups: [RelatedRecords.Group], schema: Schema, ids: ShortIDs) throws -> String {
        try groups.compactMap { group in
            guard let entity = schema.entity(group.entity) else { return nil }
            guard !group.records.isEmpty else { return CLIString.groupEmpty(["title": group.title(), "n": 0]) }
            return CLIString.groupCount(["title": group.title(), "n": group.records.count]) + "\n" + (try table(group.records, entity: entity, ids: ids))
        }.joined(separator: "\n\n")
    }

    /// What an edit did, one field per line: `stage  negotiation → won`.
    static func changes(_ change: Change, before: RecordSnapshot?, after: RecordSnapshot?) -> String {
        if change.isDelete { return "  " + RecordVerb.deleted() }
        let entity = CRMSchema.schema.entity(change.entity)
        var list = KeyValueList()
        var seen = Set<String>()
        for field in change.fields where seen.insert(field).inserted {
            let old = Labels.value(Cells.text(before?.display[field]), of: entity?.field(field))
            let new = Labels.value(Cells.text(after?.display[field]), of: entity?.field(field))
            if before != nil && old == new { continue }  // Written but unchanged, e.g. a cleared empty field.
            list.append(Labels.field(field), before == nil ? new : "\(old.isEmpty ? "∅" : old) → \(new.isEmpty ? "∅" : new)")
        }
        return list.render(indent: "  ")
    }
}
