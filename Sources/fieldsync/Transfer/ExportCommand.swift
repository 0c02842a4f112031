import ArgumentParser
import Foundation

/// `fieldsync export ENTITY`: records as a fixture file or CSV.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export records as fieldsync-fixture/1 JSON or CSV.",
        discussion: "Conflicted fields export their displayed value. CSV joins set members with ';'."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, csv
    }

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The entity, or 'all' (JSON only).")
    var entity: String

    @Option(help: "json or csv.")
    var format: Format = .json

    func validate() throws {
        if entity == "all" && format == .csv { throw ValidationError("CSV exports one entity at a time") }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let exporter = RecordExport(bench: bench)
            let entities = entity == "all" ? RecordExport.dependencyOrder.compactMap { bench.schema.entity($0) } : [try bench.entity(entity)]
            switch format {
            case .json:
                try JSONOutput.print(try exporter.fixture(entities))
            case .csv:
                if let entity = entities.first { FileHandle.standardOutput.write(Data(try exporter.csv(entity).utf8)) }
            }
        }
    }
}
