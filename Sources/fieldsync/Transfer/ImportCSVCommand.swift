import ArgumentParser
import CRM
import FieldWork
import Foundation

/// `fieldsync import-csv ENTITY FILE`: migrates a spreadsheet into the device store.
struct ImportCSVCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-csv",
        abstract: CLIHelp.importCSV(),
        discussion: """
            The file must be UTF-8 (save it as "CSV UTF-8" in Excel) with a header row. Columns are mapped to fields by \
            name, also by common English and Chinese headers (客户名称 → name, 电话 → phone, 城市 → city…); --map \
            HEADER=FIELD overrides one column (HEADER= ignores it). Cells are cleaned: spaces trimmed, full-width \
            characters made half-width, phone numbers and e-mails normalised, dates and amounts read in common forms.

            Every row is checked and reported by line: missing or malformed values, unknown references, and probable \
            duplicates of records already on the device or of earlier rows (same phone, e-mail, or name and city). \
            --on-duplicate skip (default) leaves them out, reject refuses the import, allow imports them anyway.

            Without --dry-run the records are created in one transaction, and only when no row has an error: \
            otherwise nothing changes. Exit status 1 when the file has errors (also with --dry-run).
            """
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The entity the rows create: account, contact, lead, …")
    var entity: String

    @Argument(help: "The CSV file.", completion: .file(extensions: ["csv", "txt"]))
    var file: String

    @Option(name: .customLong("map"), help: ArgumentHelp("Map a column to a field (repeatable); HEADER= ignores the column.", valueName: "header=field"))
    var mappings: [FieldAssignment] = []

    @Option(name: .customLong("default"), help: ArgumentHelp("A value for rows that leave a field empty (repeatable), e.g. territory=east.", valueName: "field=value"))
    var defaults: [FieldAssignment] = []

    @Option(name: .customLong("tag"), help: "Tag every imported record (repeatable; accounts).")
    var tags: [String] = []

    @Option(name: .customLong("on-duplicate"), help: "skip, reject or allow probable duplicates.")
    var duplicates: String = CSVImporter.DuplicatePolicy.skip.rawValue

    @Option(help: "The field separator, one character (e.g. ';' or a tab given as $'\\t').")
    var delimiter: String = ","

    @Flag(name: .customLong("dry-run"), help: "Only check the file and report; change nothing.")
    var dryRun = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if CSVImporter.DuplicatePolicy(rawValue: duplicates) == nil {
            throw ValidationError("--on-duplicate is one of \(CSVImporter.DuplicatePolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if delimiter.count != 1 || delimiter.first?.isASCII != true {
            throw ValidationError("--delimiter must be one ASCII character")
        }
    }

    func run() throws {
        let outcome = try Workbench.run(device) { bench -> CSVImportRun.Outcome in
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CommandErrors.failure(CLIString.cannotRead(["file": file, "error": error.localizedDescription]))
            }
            let request = CSVImportRun.Request(
                entity: try bench.entity(entity), data: data, overrides: mappings, defaults: defaults, tags: tags,
                duplicates: CSVImporter.DuplicatePolicy(rawValue: duplicates) ?? .skip, delimiter: delimiter
            )
            return try CSVImportRun(bench: bench).run(request, dryRun: dryRun)
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
            let entity = Labels.entity(report.entity)
            return outcome.created.count == 1 ? CLIString.importedCSVOne(["entity": entity]) : CLIString.importedCSV(["n": outcome.created.count, "entity": entity])
        }
        if !report.canApply { return CLIString.importFixRows() }
        if dryRun { return report.creations.count == 1 ? CLIString.importDryRunOne() : CLIString.importDryRun(["n": report.creations.count]) }
        return CLIString.importNothing()
    }
}
