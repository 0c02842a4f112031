import ArgumentParser
import FieldWork
import SyncStore

/// `fieldsync edit ENTITY ID field=value …`: changes fields of a record.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: CLIHelp.edit(),
        discussion: CLIHelp.editDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.entity()))
    var entity: String

    @Argument(help: ArgumentHelp(CLIHelp.record()))
    var id: String

    @Argument(help: ArgumentHelp(CLIHelp.newValues(), valueName: "field=value"))
    var assignments: [FieldAssignment] = []

    @Option(help: ArgumentHelp(CLIHelp.clearOption(), valueName: "field"))
    var clear: [String] = []

    @Flag(help: ArgumentHelp(CLIHelp.reopenOption()))
    var reopen = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if assignments.isEmpty && clear.isEmpty {
            throw ValidationError(UsageText.nothingToChange())
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
                print(CLIString.nothingChanged([
                    "entity": Labels.entity(entity.name), "label": RecordLabel.of(record, schema: bench.schema),
                    "what": (asked.count == 1 ? CLIString.thisValue : CLIString.theseValues)(),
                ]))
                return
            }
            let applied = try bench.apply(.update(entity.name, id: record.id, operations, reopen: reopen))
            try bench.report(applied, verb: .updated, json: output.json)
        }
    }
}
