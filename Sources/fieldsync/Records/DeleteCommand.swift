import ArgumentParser
import FieldWork
import SyncStore

/// `fieldsync delete ENTITY ID`: deletes a record (synced like any edit).
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a record.",
        discussion: "The delete syncs like any edit; one that meets a concurrent edit on another device is kept as a conflict."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The entity.")
    var entity: String

    @Argument(help: "The record: its id, a unique prefix of it, or its name.")
    var id: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let entity = try bench.entity(self.entity)
            let record = try bench.liveRecord(entity, id)
            let applied = try bench.apply(.delete(entity.name, id: record.id))
            try bench.report(applied, verb: "deleted", json: output.json)
        }
    }
}
