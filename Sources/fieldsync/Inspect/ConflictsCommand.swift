import ArgumentParser
import FieldWork
import SyncCore
import SyncStore

/// `fieldsync conflicts`: the open conflicts with their competing values.
struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts",
        abstract: "List open conflicts with every competing value.",
        discussion: "Resolve a field conflict by editing the field: the edit supersedes every value it saw."
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
        guard !conflicts.isEmpty else { return "no open conflicts" }
        var table = TextTable(columns: [
            .init("KIND", maxWidth: 18), .init("RECORD", maxWidth: 48), .init("FIELD", maxWidth: 16),
            .init("VALUE", maxWidth: 30), .init("REPLICA", maxWidth: 8), .init("WRITTEN AT", maxWidth: 20),
        ])
        for conflict in conflicts {
            let record = "\(conflict.entity) \(try ids(conflict.entity, conflict.id)) \(conflict.label)"
            switch conflict.kind {
            case ConflictKind.orphanReference.rawValue:
                table.append([conflict.kind, record, conflict.field, "→ \(conflict.target ?? "?") (not on this device)", "", conflict.openedAt])
            case ConflictKind.deleteVsEdit.rawValue:
                table.append([conflict.kind, record, "", "deleted on one device, edited on another", "", conflict.openedAt])
            default:
                if conflict.values.isEmpty {
                    table.append([conflict.kind, record, conflict.field, "", "", conflict.openedAt])
                }
                for (index, value) in conflict.values.enumerated() {
                    table.append([
                        index == 0 ? conflict.kind : "", index == 0 ? record : "", index == 0 ? conflict.field : "",
                        Cells.text(value.value) + (value.displayed ? " (shown)" : ""), String(value.replica.prefix(8)), value.at,
                    ])
                }
            }
        }
        return table.render() + "\nresolve a field conflict by editing the field: fieldsync edit ENTITY ID field=value"
    }
}
