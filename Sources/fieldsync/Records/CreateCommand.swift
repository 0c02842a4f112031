import ArgumentParser
import FieldWork
import SyncCore
import SyncStore

/// `fieldsync create ENTITY field=value …`: creates a record of any entity.
struct CreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: CLIHelp.create(),
        discussion: CLIHelp.createDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.createEntity()))
    var entity: String

    @Argument(help: ArgumentHelp(CLIHelp.fieldValues(), valueName: "field=value"))
    var assignments: [FieldAssignment] = []

    @Option(name: .customLong("tag"), help: ArgumentHelp(CLIHelp.tagOption()))
    var tags: [String] = []

    @Option(help: ArgumentHelp(CLIHelp.newID()))
    var id: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let id, !RecordIDs.isValid(id) {
            throw ValidationError(UsageText.idUUID())
        }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let entity = try bench.entity(self.entity)
            var operations = try bench.editor(entity, current: nil).operations(assigning: assignments)
            operations += try TagArguments.additions(tags, to: entity)
            let applied = try bench.apply(.create(entity.name, id: id ?? RecordIDs.make(), operations))
            let warning = try applied.after.flatMap { try DuplicateWarning.check($0, bench: bench) }
            if output.json, let created = applied.after {
                var view = RecordView(created, schema: bench.schema)
                view.warnings = warning.map { [$0] }
                try JSONOutput.print(view)
            } else {
                try bench.report(applied, verb: .created, json: output.json)
            }
            if let warning {
                TerminalOutput.write(warning.line + "\n", to: .standardError)
            }
        }
    }
}
