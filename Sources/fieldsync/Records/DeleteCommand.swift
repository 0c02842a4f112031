import ArgumentParser
import FieldWork
import SyncStore

/// `fieldsync delete ENTITY ID`: deletes a record (synced like any edit).
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: CLIHelp.delete(),
        discussion: CLIHelp.deleteDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.entity()))
    var entity: String

    @Argument(help: ArgumentHelp(CLIHelp.record()))
    var id: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let entity = try bench.entity(self.entity)
            let record = try bench.liveRecord(entity, id)
            let applied = try bench.apply(.delete(entity.name, id: record.id))
            try bench.report(applied, verb: .deleted, json: output.json)
        }
    }
}
