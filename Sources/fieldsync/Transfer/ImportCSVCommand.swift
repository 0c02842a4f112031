import ArgumentParser
import CRM
import FieldWork
import Foundation

/// `fieldsync import-csv ENTITY FILE`: migrates a spreadsheet into the device store.
struct ImportCSVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-csv",
        abstract: CLIHelp.importCSV(),
        discussion: CLIHelp.importCSVDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.importCSVEntity()))
    var entity: String

    @Argument(help: ArgumentHelp(CLIHelp.importCSVFile()), completion: .file(extensions: ["csv", "txt"]))
    var file: String

    @Option(name: .customLong("map"), help: ArgumentHelp(CLIHelp.importCSVMappings(), valueName: "header=field"))
    var mappings: [FieldAssignment] = []

    @Option(name: .customLong("default"), help: ArgumentHelp(CLIHelp.importCSVDefaults(), valueName: "field=value"))
    var defaults: [FieldAssignment] = []

    @Option(name: .customLong("tag"), help: ArgumentHelp(CLIHelp.importCSVTags()))
    var tags: [String] = []

    @Option(name: .customLong("on-duplicate"), help: ArgumentHelp(CLIHelp.importCSVDuplicates()))
    var duplicates: String = CSVImporter.DuplicatePolicy.skip.rawValue

    @Option(help: ArgumentHelp(CLIHelp.importCSVLines(), valueName: "file"), completion: .file(extensions: ["csv", "txt"]))
    var lines: String?

    @Option(help: ArgumentHelp(CLIHelp.importCSVDelimiter()))
    var delimiter: String = ","

    @Flag(name: .customLong("dry-run"), help: ArgumentHelp(CLIHelp.importCSVDryRun()))
    var dryRun = false

    @OptionGroup var progress: ProgressOptions

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if CSVImporter.DuplicatePolicy(rawValue: duplicates) == nil {
            throw ValidationError(UsageText.onDuplicateChoices(["choices": CSVImporter.DuplicatePolicy.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        if lines != nil && entity != "order" {
            throw ValidationError(UsageText.linesWithOrders())
        }
        if delimiter.count != 1 || delimiter.first?.isASCII != true {
            throw ValidationError(UsageText.delimiterASCII())
        }
    }

    func run() throws {
        let outcome = try Workbench.run(device) { bench -> CSVImportRun.Outcome in
            func read(_ path: String) throws -> Data {
                do {
                    return try Data(contentsOf: URL(fileURLWithPath: path))
                } catch {
                    throw CommandErrors.failure(CLIString.cannotRead(["file": path, "error": FileReadFailure(error)()]))
                }
            }
            let request = CSVImportRun.Request(
                entity: try bench.entity(entity), data: try read(file), overrides: mappings, defaults: defaults, tags: tags,
                duplicates: CSVImporter.DuplicatePolicy(rawValue: duplicates) ?? .skip, delimiter: delimiter, lines: try lines.map(read)
            )
            return try CSVImportRun(bench: bench).run(request, dryRun: dryRun, progressOffTerminal: progress.progress)
        }
        if output.json {
            try JSONOutput.print(outcome)
        } else {
            print(outcome.report.text(cliLanguage), terminator: "")
            print(verdict(outcome))
        }
        if !outcome.report.canApply { throw ExitCode(1) }
    }

    private func verdict(_ outcome: CSVImportRun.Outcome) -> String {
        let report = outcome.report
        if outcome.applied {
            return CLIString.importedCSV(["counts": counts(report)])
        }
        if !report.canApply { return CLIString.importFixRows() }
        if dryRun { return CLIString.importDryRun(["counts": counts(report)]) }
        return CLIString.importNothing()
    }

    /// "2 order and 5 order_line records" / "2 条订单记录、5 条订单明细记录".
    private func counts(_ report: CSVImportReport) -> String {
        guard cliLanguage == .chinese else { return report.creationCounts }
        return report.creationCountsByEntity.map { "\($0.count) 条\(Labels.entity($0.entity))记录" }.joined(separator: "、")
    }
}
