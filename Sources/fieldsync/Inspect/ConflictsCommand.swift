import ArgumentParser
import CRM
import FieldWork
import SyncCore
import SyncStore

/// `fieldsync conflicts`: the open conflicts with their competing values.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: CLIHelp.conflicts(),
        discussion: CLIHelp.conflictsDiscussion()
    )

    @OptionGroup var device: DeviceOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.read(device) { bench in
            let conflicts = try ConflictReport.load(bench)
            if output.json {
                try JSONOutput.print(conflicts)
            } else {
                print(try ConflictReport.text(conflicts, ids: bench.shortIDs))
            }
        }
    }
}

/// One open conflict as `conflicts` shows it.
struct ConflictReport: Encodable {
    var kind: String
    var entity: String
    var id: RecordID
    var label: String
    var field: String
    var openedAt: String
    /// For orphans: the record the reference names.
    var target: String?
    /// Competing values, the displayed one first (concurrent values only).
    var values: [SiblingView]

    static func load(_ bench: Workbench) throws -> [ConflictReport] {
        try bench.store.openConflicts().map { entry in
            let record = try bench.store.record(entry.key.entity, id: entry.key.recordID)
            let siblings = record?.conflicts[entry.key.field] ?? []
            return ConflictReport(
                kind: entry.key.kind.rawValue, entity: entry.key.entity, id: entry.key.recordID,
                label: record.map { RecordLabel.of($0, schema: bench.schema) } ?? "",
                field: entry.key.field, openedAt: Timestamps.string(milliseconds: entry.openedAt), target: entry.target,
                values: siblings.enumerated().map { SiblingView($0.element, displayed: $0.offset == 0) }
            )
        }
    }

    static func text(_ conflicts: [ConflictReport], ids: ShortIDs) throws -> String {
        guard !conflicts.isEmpty else { return CLIString.noConflicts() }
        var table = TextTable(columns: [
            .init(CLIString.headerKind(), maxWidth: 18), .init(CLIString.headerRecord(), maxWidth: 48), .init(CLIString.headerField(), maxWidth: 16),
            .init(CLIString.headerValue(), maxWidth: 30), .init(CLIString.headerReplica(), maxWidth: 8), .init(CLIString.headerWrittenAt(), maxWidth: 20),
        ])
        for conflict in conflicts {
            let record = "\(Labels.entity(conflict.entity)) \(try ids(conflict.entity, conflict.id)) \(conflict.label)"
            let kind = Labels.conflictKind(conflict.kind), field = conflict.field.isEmpty ? "" : Labels.field(conflict.field)
            switch conflict.kind {
            case ConflictKind.orphanReference.rawValue:
                table.append([kind, record, field, CLIString.notOnDevice(["target": conflict.target ?? "?"]), "", conflict.openedAt])
            case ConflictKind.deleteVsEdit.rawValue:
                table.append([kind, record, "", CLIString.deletedAndEdited(), "", conflict.openedAt])
            default:
                if conflict.values.isEmpty {
                    table.append([kind, record, field, "", "", conflict.openedAt])
                }
                let type = CRMSchema.schema.entity(conflict.entity)?.field(conflict.field)
                for (index, value) in conflict.values.enumerated() {
                    table.append([
                        index == 0 ? kind : "", index == 0 ? record : "", index == 0 ? field : "",
                        Labels.value(Cells.text(value.value), of: type) + (value.displayed ? " " + CLIString.shown() : ""), String(value.replica.prefix(8)), value.at,
                    ])
                }
            }
        }
        return table.render() + "\n" + CLIString.resolveHint()
    }
}
