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

            Any entity a rep edits: accounts, contacts, leads, opportunities (商机), activities (拜访 / 跟进记录), \
            tickets (工单) and orders with their lines. Orders come as two files, as Chinese CRMs export them: \
            the orders (订单编号, 客户名称, 订单状态, 下单日期…) and, with --lines, their lines (订单明细: 订单编号, \
            产品编码 or 产品名称, 数量, 单价, 折扣, 税率), each line naming its order by number. A line's account is \
            its order's, its price the price list's when the file has none, and each order's total is the sum of \
            its lines (a total the orders file gives must agree: total_mismatch).

            Every row is checked and reported by line: missing or malformed values, unknown references (an account \
            by id or unique name; a contact among the row's account's contacts, else contact_of_other_account), \
            territories not on the server's list (unknown_territory), and probable duplicates of records already on \
            the device or of earlier rows (same phone, e-mail, or name and city). --on-duplicate skip (default) \
            leaves them out, reject refuses the import, allow imports them anyway. Times without a zone \
            (2026-11-20 09:30) are China time (+08:00).

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

    @Option(help: ArgumentHelp("With order: the CSV file of the orders' lines, each naming its order by number.", valueName: "file"), completion: .file(extensions: ["csv", "txt"]))
    var lines: String?

    @Option(help: "The field separator, one character (e.g. ';' or a tab given as $'\\t').")
    var delimiter: String = ","

    @Flag(name: .customLong("dry-run"), help: "Only check the file and report; change nothing.")
    var dryRun = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if CSVImporter.DuplicatePolicy(rawValue: duplicates) == nil {
            throw ValidationError("--on-duplicate is one of \(CSVImporter.DuplicatePolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if lines != nil && entity != "order" {
            throw ValidationError("--lines goes with an order import: fieldsync import-csv order ORDERS.csv --lines LINES.csv")
        }
        if delimiter.count != 1 || delimiter.first?.isASCII != true {
            throw ValidationError("--delimiter must be one ASCII character")
        }
    }

    func run() throws {
        let outcome = try Workbench.run(device) { bench -> CSVImportRun.Outcome in
            func read(_ path: String) throws -> Data {
                do {
                    return try Data(contentsOf: URL(fileURLWithPath: path))
                } catch {
                    throw CommandErrors.failure(CLIString.cannotRead(["file": path, "error": error.localizedDescription]))
                }
            }
            let request = CSVImportRun.Request(
                entity: try bench.entity(entity), data: try read(file), overrides: mappings, defaults: defaults, tags: tags,
                duplicates: CSVImporter.DuplicatePolicy(rawValue: duplicates) ?? .skip, delimiter: delimiter, lines: try lines.map(read)
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
