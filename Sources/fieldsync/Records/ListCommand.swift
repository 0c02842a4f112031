import ArgumentParser
import FieldWork
import SyncCore
import SyncStore

/// `fieldsync list ENTITY`: a table (or JSON) of the records that match filters.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: CLIHelp.list(),
        discussion: CLIHelp.listDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.listEntity()))
    var entity: String

    @Option(name: .customLong("where"), help: ArgumentHelp(CLIHelp.whereOption(), valueName: "field=value"))
    var conditions: [FieldAssignment] = []

    @Option(help: ArgumentHelp(CLIHelp.likeOption(), valueName: "field=text"))
    var like: [FieldAssignment] = []

    @Option(help: ArgumentHelp(CLIHelp.listTag()))
    var tag: [String] = []

    @Option(help: ArgumentHelp(CLIHelp.listAccount()))
    var account: String?

    @Flag(help: ArgumentHelp(CLIHelp.listDeleted()))
    var deleted = false

    @Option(help: ArgumentHelp(CLIHelp.listLimit()))
    var limit: Int?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError(UsageText.limitAtLeastOne()) }
    }

    func run() throws {
        try Workbench.read(device) { bench in
            let entity = try bench.entity(self.entity)
            let query = RecordQuery(entity: entity, conditions: conditions, like: like, tags: tag, account: account)
            let filters = try query.filters(bench)
            let shown = limit ?? (output.json ? 100_000 : 50)
            let records = try bench.store.records(entity.name, matching: filters, includeDeleted: deleted, limit: shown + 1)
            if output.json {
                try JSONOutput.print(records.prefix(shown).map { RecordView($0, schema: bench.schema) })
                return
            }
            guard !records.isEmpty else {
                print((filters.isEmpty ? CLIString.noRecords : CLIString.noRecordsMatch)(["entity": Labels.entity(entity.name)]))
                return
            }
            print(try RecordText.table(Array(records.prefix(shown)), entity: entity, ids: bench.shortIDs))
            if records.count > shown {
                print(CLIString.firstShown(["n": shown]))
            }
        }
    }
}

/// The filters of `list`, as typed, turned into store filters.
struct RecordQuery {
    var entity: EntitySchema
    var conditions: [FieldAssignment]
    var like: [FieldAssignment]
    var tags: [String]
    var account: String?

    func filters(_ bench: Workbench) throws -> [RecordFilter] {
        let editor = bench.editor(entity, current: nil)
        var filters: [RecordFilter] = []
        for condition in conditions {
            let field = try editor.field(condition.field)
            switch field.kind {
            case .set:
                filters.append(.contains(field.name, condition.text.trimmingCharacters(in: .whitespaces)))
            case .counter:
                filters.append(.equals(field.name, try SyncCore.ValueType.integer.parse(condition.text, field: field.name)))
            case .register:
                let isEmpty = condition.text.trimmingCharacters(in: .whitespaces).isEmpty
                filters.append(.equals(field.name, isEmpty ? .null : try editor.value(of: field, condition.text)))
            }
        }
        for condition in like {
            let field = try editor.field(condition.field)
            filters.append(.like(field.name, condition.text))
        }
        if !tags.isEmpty {
            guard entity.field(TagArguments.field)?.kind == .set else {
                throw SyncCore.ValidationError(.unknownField, .entityWithoutTags, ["entity": entity.name, "field": TagArguments.field])
            }
            filters += tags.map { .contains(TagArguments.field, $0) }
        }
        if let account {
            guard entity.name == "account" || entity.field("account") != nil else {
                throw SyncCore.ValidationError(.unknownField, .entityWithoutAccount, ["entity": entity.name])
            }
            let accountSchema = try bench.entity("account")
            filters.append(.account(try bench.resolve(accountSchema, account)))
        }
        return filters
    }
}
