import ArgumentParser
import FieldWork
import SyncStore

/// `fieldsync show ENTITY ID`: one record with its conflicts and related records.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a record with its conflicts and related records.",
        discussion: "Every field with a value, the competing values of conflicted fields, and for an account its contacts, open opportunities, recent visits, open tickets, orders, current quotes, contracts and invoices with its orders, revenue and receivables (for an order or a quote, its lines; for an invoice, its payments)."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The entity.")
    var entity: String

    @Argument(help: "The record: its id, a unique prefix of it, or its name.")
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
                print("loyalty: \(try FieldWork(bench: bench).loyalty(of: record.id).summary)")
                for line in try FieldWork(bench: bench).statement(of: record.id).lines { print(line) }
            }
            if !groups.isEmpty {
                print("")
                print(try RecordText.groups(groups, schema: bench.schema, ids: bench.shortIDs))
            }
        }
    }
}
