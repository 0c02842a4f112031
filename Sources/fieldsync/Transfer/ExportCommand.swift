import ArgumentParser
import FieldWork
import Foundation
import SyncCore

/// `fieldsync export ENTITY`: records as a fixture file or CSV.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: CLIHelp.export(),
        discussion: CLIHelp.exportDiscussion()
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.exportEntity()))
    var entity: String

    @Option(help: ArgumentHelp(CLIHelp.exportFormat()))
    var format: Format = .json

    @Option(help: ArgumentHelp(CLIHelp.exportFields(), valueName: "field,…"))
    var fields: String?

    @OptionGroup var csv: CSVOptions

    func validate() throws {
        if entity == "all" && format == .csv { throw ValidationError(UsageText.csvOneEntity()) }
        if fields != nil && format != .csv { throw ValidationError(UsageText.fieldsWithCSV()) }
        if csv.bom && format != .csv { throw ValidationError(UsageText.bomWithFormatCSV()) }
    }

    func run() throws {
        try Workbench.read(device) { bench in
            let exporter = RecordExport(bench: bench)
            let entities = entity == "all" ? RecordExport.dependencyOrder(bench.schema) : [try bench.entity(entity)]
            switch format {
            case .json:
                try JSONOutput.print(try exporter.fixture(entities))
            case .csv:
                guard let entity = entities.first else { return }
                let chosen = fields.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
                for name in chosen ?? [] where entity.field(name) == nil {
                    throw SyncCore.ValidationError(.unknownField, .noFieldListed, ["entity": entity.name, "field": name, "fields": entity.fields.map(\.name).joined(separator: ", ")])
                }
                csv.write(try exporter.csv(entity, fields: chosen))
            }
        }
    }
}
