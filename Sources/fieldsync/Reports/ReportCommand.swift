import ArgumentParser
import CRM
import FieldWork
import Foundation
import SyncClient
import SyncCore
import SyncStore

/// `fieldsync report NAME`: the KPIs of CRM-DOMAIN.md over this device's records, or the
/// server's with `--server`.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: CLIHelp.report(),
        discussion: """
            Reports: \(ReportName.allCases.map { "\n  \($0.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0))\($0.summary)" }.joined())

            Options a report does not read are refused. Every report takes --as-of and --utc-offset; \
            \(ReportName.allCases.filter { !$0.specificParameters.isEmpty }.map { name in
                "\(name.rawValue) takes " + name.specificParameters.map { "--" + $0.rawValue.replacingOccurrences(of: "_", with: "-") }.joined(separator: " ")
            }.joined(separator: "; ")).

            A device report counts the records it read that have local edits not synced yet and says so. \
            --server asks the server instead (a manager's or admin's device): the same report over the server's records.
            """
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp("The report.", valueName: "name"), completion: .list(ReportName.allCases.map(\.rawValue)))
    var name: String

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day the report is for: YYYY-MM-DD, today, yesterday or -Nd (default: today, China time).", valueName: "day"))
    var asOf: String?

    @Option(help: ArgumentHelp("YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD..YYYY-MM-DD, or Nd for the N days up to --as-of.", valueName: "period"))
    var period: String?

    @Option(help: "Only this rep's records.")
    var owner: String?

    @Flag(help: "Only the enrolled user's records (--owner ME).")
    var mine = false

    @Option(help: "A currency code (pipeline: only this currency; abc: revenue currency).")
    var currency: String?

    @Option(help: "churn: days without contact (default 90).")
    var days: Int?

    @Option(name: .customLong("response-hours"), help: "complaints: the response standard in hours (default 24).")
    var responseHours: Int?

    @Option(help: ArgumentHelp("abc: cut-offs in percent (default 80,95 by revenue).", valueName: "A,B"))
    var cutoffs: String?

    @Option(help: "abc: revenue (share of revenue) or customers (share of accounts).")
    var rule: String?

    @Option(name: .customLong("churned-after"), help: "lifecycle: days without contact after which a customer is churned (default 180).")
    var churnedAfter: Int?

    @Option(name: .customLong("loyal-purchases"), help: "lifecycle: purchases that make a customer loyal (default 4).")
    var loyalPurchases: Int?

    @Option(help: ArgumentHelp("visits: the activity types counted (default visit).", valueName: "visit,call,…"))
    var types: String?

    @Option(name: .customLong("utc-offset"), help: "Minutes east of UTC of report days (default 480, China).")
    var utcOffset: Int?

    @Flag(help: "Print the report document as JSON.")
    var json = false

    @Flag(help: "Print the main table as CSV (for spreadsheets; visits: one row per rep and week).")
    var csv = false

    @OptionGroup var csvOptions: CSVOptions

    @Flag(help: "pipeline, conversion: draw the chart (a funnel; --bars for bars).")
    var chart = false

    @Flag(help: "With --chart: horizontal bars instead of a funnel.")
    var bars = false

    @Option(help: "With --chart (pipeline): count, amount or weighted_amount.")
    var measure: String = PipelineReport.ChartMeasure.amount.rawValue

    @Flag(help: "Fetch the server's report (needs a manager's or admin's device).")
    var server = false

    func validate() throws {
        guard let report = ReportName(rawValue: name.lowercased()) else {
            throw ValidationError("unknown report '\(name)'; reports: \(ReportName.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if [json, csv, chart].filter({ $0 }).count > 1 { throw ValidationError("choose one of --json, --csv and --chart") }
        if csvOptions.bom && !csv { throw ValidationError("--bom goes with --csv") }
        if chart && !report.hasChart {
            throw ValidationError("--chart draws \(ReportName.allCases.filter(\.hasChart).map(\.rawValue).joined(separator: " and ")); \(report) is a table")
        }
        if (bars || measure != PipelineReport.ChartMeasure.amount.rawValue) && !chart {
            throw ValidationError("--bars and --measure go with --chart")
        }
        if PipelineReport.ChartMeasure(rawValue: measure) == nil {
            throw ValidationError("--measure is one of \(PipelineReport.ChartMeasure.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if mine && owner != nil { throw ValidationError("give --owner or --mine, not both") }
        do {
            _ = try ReportParameters(query: try query(owner: owner ?? (mine ? "me" : nil)), for: report)
        } catch let error as ReportParameterError {
            throw ValidationError(Self.optionSpelling(error.message))
        }
    }

    /// The request as report parameters, in the keys the server reads too.
    func query(owner: String?) throws -> [String: String] {
        var query: [ReportParameters.Key: String?] = [
            .period: period, .owner: owner, .currency: currency, .days: days.map(String.init),
            .responseHours: responseHours.map(String.init), .cutoffs: cutoffs, .rule: rule,
            .churnedAfter: churnedAfter.map(String.init), .loyalPurchases: loyalPurchases.map(String.init),
            .types: types, .utcOffset: utcOffset.map(String.init),
        ]
        if let asOf {
            do throws(SyncCore.ValidationError) {
                query[.asOf] = try Days.parse(asOf)
            } catch {
                throw ValidationError("--as-of: \(error.message)")
            }
        }
        return Dictionary(uniqueKeysWithValues: query.compactMap { key, value in value.map { (key.rawValue, $0) } })
    }

    /// A parameter error as CLI options: `response_hours` → `--response-hours`.
    static func optionSpelling(_ message: String) -> String {
        var text = message
        for key in ReportParameters.Key.allCases {
            text = text.replacingOccurrences(of: "'\(key.rawValue)'", with: "--" + key.rawValue.replacingOccurrences(of: "_", with: "-"))
        }
        return text
    }

    func run() async throws {
        guard let report = ReportName(rawValue: name.lowercased()) else { throw ExitCode.validationFailure }
        let store = try device.openExistingStore()
        if !server { BootstrapNotice.warnIfIncomplete(store) }
        let document: ReportDocument = try await CommandErrors.report {
            let owner = try mine ? store.setting("user") : self.owner
            if mine && owner == nil {
                throw CommandErrors.failure(CLIString.mineNeedsUser())
            }
            let query = try query(owner: owner)
            let parameters = try ReportParameters(query: query, for: report)
            if server {
                return try await Self.fetch(report, query: query, store: store, device: device)
            }
            return try DeviceReports(store: store).document(report, parameters: parameters)
        }
        try render(document)
    }

    /// Fetches the server's report document.
    static func fetch(_ report: ReportName, query: [String: String], store: DeviceStore, device: DeviceOptions) async throws -> ReportDocument {
        guard let server = try store.setting("server_url"), let url = URL(string: server) else {
            throw SyncClientError.notEnrolled
        }
        let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: url, language: cliLanguage.rawValue), logger: device.logger)
        let fetched = try await CommandErrors.contactingServer(device, store) { try await client.report(report.rawValue, query: query) }
        do {
            return try JSONDecoder().decode(ReportDocument.self, from: fetched.body)
        } catch {
            throw CommandErrors.failure(CLIString.serverReportUnreadable(["report": report, "error": error]))
        }
    }

    private func render(_ document: ReportDocument) throws {
        if json {
            try JSONOutput.print(document)
        } else if csv {
            csvOptions.write(document.result.csv())
        } else if chart {
            let measure = PipelineReport.ChartMeasure(rawValue: measure) ?? .amount
            let language = cliLanguage
            guard let drawing = document.result.chart(measure: measure, style: bars ? .bars : .funnel, currency: currency)?.localized(language) else {
                throw CommandErrors.failure(CLIString.noChart(["report": document.report]))
            }
            let notes = document.result.report.table.localized(language).notes.map { $0 + "\n" }.joined()
            let text = TerminalChartRenderer.render(drawing) + notes + ReportPhrases.text(document.origin, language) + "\n"
            TerminalOutput.write(text)
        } else {
            TerminalOutput.write(document.text(cliLanguage))
        }
    }
}
