import ArgumentParser
import FieldWork
import SyncStore

/// `fieldsync edit ENTITY ID field=value …`: changes fields of a record.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit fields of a record.",
        discussion: "Example: fieldsync edit opportunity 3f2a amount=128000 expected_close=2026-12-20 --clear lost_reason\n\nA set field given as a=b,c becomes exactly those members; a counter given as N moves to the total N."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The entity.")
    var entity: String

    @Argument(help: "The record: its id, a unique prefix of it, or its name.")
    var id: String

    @Argument(help: ArgumentHelp("New field values.", valueName: "field=value"))
    var assignments: [FieldAssignment] = []

    @Option(help: ArgumentHelp("Clear a field (repeatable).", valueName: "field"))
    var clear: [String] = []

    @Flag(help: "Allow moving a won or lost opportunity (stage=negotiation) or a resolved ticket (status=in_progress) back.")
    var reopen = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if assignments.isEmpty && clear.isEmpty {
            throw ValidationError("nothing to change: give field=value or --clear field")
        }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let entity = try bench.entity(self.entity)
            let record = try bench.liveRecord(entity, id)
            let asked = try bench.editor(entity, current: record).operations(assigning: assignments, clearing: clear)
            // A value the field already shows, with no concurrent value to settle, changes
            // nothing and is not recorded (it would only make a change for others to pull).
            let operations = asked.filter { operation in
                switch operation {
                case .set(let name, let value): return record.conflicts[name] != nil || record.value(name) != value
                case .increment(_, let amount): return amount != 0
                default: return true
                }
            }
            if operations.isEmpty {
                if output.json { return try JSONOutput.print(RecordView(record, schema: bench.schema)) }
                print("nothing changed: \(entity.name) \(RecordLabel.of(record, schema: bench.schema)) already holds \(asked.count == 1 ? "this value" : "these values")")
                return
            }
            let applied = try bench.apply(.update(entity.name, id: record.id, operations, reopen: reopen))
            try bench.report(applied, verb: "updated", json: output.json)
        }
    }
}
