import ArgumentParser
import FieldWork
import SyncStore

/// `fieldsync show ENTITY ID`: one record with its conflicts and related records.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: CLIHelp.show(),
        discussion: CLIHelp.showDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.entity()))
    var entity: String

    @Argument(help: ArgumentHelp(CLIHelp.record()))
    var id: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.read(device) { bench in
            let entity = try bench.entity(self.entity)
            let record = try bench.record(entity, id)
            let groups = try RelatedRecords.groups(for: record, store: bench.store)
            func label(_ target: String, _ id: String) -> String? {
                (try? bench.store.record(target, id: id)).flatMap { $0 }.map { RecordLabel.of($0, schema: bench.schema) }
            }
            if output.json {
                var view = RecordView(record, schema: bench.schema)
                var references: [String: String] = [:]
                for field in entity.fields {
                    guard let target = field.type.referencedEntity, let id = record.value(field.name).stringValue, let name = label(target, id) else { continue }
                    references[field.name] = name
                }
                view.references = references.isEmpty ? nil : references
                if !groups.isEmpty {
                    view.children = Dictionary(uniqueKeysWithValues: groups.map { group in
                        (group.key, group.records.map { RecordView($0, schema: bench.schema) })
                    })
                }
                try JSONOutput.print(view)
                return
            }
            print(RecordText.detail(record, entity: entity, schema: bench.schema, label: label))
            if entity.name == "account" && !record.deleted {
                print(CLIString.loyalty(["summary": CLIPhrases.text(try FieldWork(bench: bench).loyalty(of: record.id).summary, cliLanguage)]))
                for line in try FieldWork(bench: bench).statement(of: record.id).lines { print(CLIPhrases.text(line, cliLanguage)) }
            }
            if !groups.isEmpty {
                print("")
                print(try RecordText.groups(groups, schema: bench.schema, ids: bench.shortIDs))
            }
        }
    }
}
