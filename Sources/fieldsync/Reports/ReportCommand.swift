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
        discussion: CLIHelp.reportDiscussion([
            "reports": ReportName.allCases.map { "\n  \($0.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0))\($0.summary(cliLanguage))" }.joined(),
            "parameters": ReportName.allCases.filter { !$0.specificParameters.isEmpty }.map { name in
                CLIHelp.reportTakes(["report": name.rawValue, "options": name.specificParameters.map { "--" + $0.rawValue.replacingOccurrences(of: "_", with: "-") }.joined(separator: " ")])
            }.joined(separator: cliLanguage == .chinese ? "；" : "; "),
        ])
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.reportName(), valueName: "name"), completion: .list(ReportName.allCases.map(\.rawValue)))
    var name: String

    @Option(name: .customLong("as-of"), help: ArgumentHelp(CLIHelp.reportAsOf(), valueName: "day"))
    var asOf: String?

    @Option(help: ArgumentHelp(CLIHelp.reportPeriod(), valueName: "period"))
    var period: String?

    @Option(help: ArgumentHelp(CLIHelp.reportOwner()))
    var owner: String?

    @Flag(help: ArgumentHelp(CLIHelp.reportMine()))
    var mine = false

    @Option(help: ArgumentHelp(CLIHelp.reportCurrency()))
    var currency: String?

    @Option(help: ArgumentHelp(CLIHelp.reportDays()))
    var days: Int?

    @Option(name: .customLong("response-hours"), help: ArgumentHelp(CLIHelp.reportResponseHours()))
    var responseHours: Int?

    @Option(help: ArgumentHelp(CLIHelp.reportCutoffs(), valueName: "A,B"))
    var cutoffs: String?

    @Option(help: ArgumentHelp(CLIHelp.reportRule()))
    var rule: String?

    @Option(name: .customLong("churned-after"), help: ArgumentHelp(CLIHelp.reportChurnedAfter()))
    var churnedAfter: Int?

    @Option(name: .customLong("loyal-purchases"), help: ArgumentHelp(CLIHelp.reportLoyalPurchases()))
    var loyalPurchases: Int?

    @Option(help: ArgumentHelp(CLIHelp.reportTypes(), valueName: "visit,call,…"))
    var types: String?

    @Option(name: .customLong("utc-offset"), help: ArgumentHelp(CLIHelp.reportUtcOffset()))
    var utcOffset: Int?

    @Flag(help: ArgumentHelp(CLIHelp.reportJSON()))
    var json = false

    @Flag(help: ArgumentHelp(CLIHelp.reportCSV()))
    var csv = false

    @OptionGroup var csvOptions: CSVOptions

    @Flag(help: ArgumentHelp(CLIHelp.reportChart()))
    var chart = false

    @Flag(help: ArgumentHelp(CLIHelp.reportBars()))
    var bars = false

    @Option(help: ArgumentHelp(CLIHelp.reportMeasure()))
    var measure: String = PipelineReport.ChartMeasure.amount.rawValue

    @Flag(help: ArgumentHelp(CLIHelp.reportServer()))
    var server = false

    func validate() throws {
        guard let report = ReportName(rawValue: name.lowercased()) else {
            throw ValidationError(UsageText.unknownReport(["name": name, "reports": ReportName.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        if [json, csv, chart].filter({ $0 }).count > 1 { throw ValidationError(UsageText.oneOutputFormat()) }
        if csvOptions.bom && !csv { throw ValidationError(UsageText.bomWithCSV()) }
        if chart && !report.hasChart {
            throw ValidationError(UsageText.chartReports(["charts": ReportName.allCases.filter(\.hasChart).map(\.rawValue).joined(separator: ", "), "report": report]))
        }
        if (bars || measure != PipelineReport.ChartMeasure.amount.rawValue) && !chart {
            throw ValidationError(UsageText.barsWithChart())
        }
        if PipelineReport.ChartMeasure(rawValue: measure) == nil {
            throw ValidationError(UsageText.measureChoices(["choices": PipelineReport.ChartMeasure.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        if mine && owner != nil { throw ValidationError(UsageText.ownerOrMine()) }
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
                throw ValidationError(UsageText.asOf(["reason": error.refusal.text(cliLanguage)]))
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
        } catch let error as DecodingError {
            // Foundation's facts (where, what) in our sentence, in the CLI's language.
            throw CommandErrors.failure(CLIString.serverReportUnreadable(["report": report, "error": CLIPhrases.text(DecodingProblem(error).description, cliLanguage)]))
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
