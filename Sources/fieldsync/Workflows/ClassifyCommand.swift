import ArgumentParser
import CRM
import FieldWork
import Foundation
import SyncCore

/// `fieldsync classify [--apply]`: ABC tiers and lifecycle stages from the device's records.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: CLIHelp.classify(),
        discussion: CLIHelp.classifyDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Flag(help: ArgumentHelp(CLIHelp.classifyApply()))
    var apply = false

    @Option(help: ArgumentHelp(CLIHelp.classifyCutoffs(), valueName: "A,B"))
    var cutoffs: String?

    @Option(help: ArgumentHelp(CLIHelp.classifyRule()))
    var rule: String?

    @Option(help: ArgumentHelp(CLIHelp.classifyPeriod(), valueName: "period"))
    var period: String?

    @Option(help: ArgumentHelp(CLIHelp.classifyCurrency()))
    var currency: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp(CLIHelp.classifyAsOf(), valueName: "day"))
    var asOf: String?

    @Option(name: .customLong("churned-after"), help: ArgumentHelp(CLIHelp.classifyChurnedAfter()))
    var churnedAfter: Int?

    @Option(name: .customLong("loyal-purchases"), help: ArgumentHelp(CLIHelp.classifyLoyalPurchases()))
    var loyalPurchases: Int?

    @Flag(help: ArgumentHelp(CLIHelp.classifyAll()))
    var all = false

    @OptionGroup var output: OutputOptions

    func parameters() throws -> ReportParameters {
        var query: [String: String] = [:]
        query["cutoffs"] = cutoffs
        query["rule"] = rule
        query["period"] = period
        query["currency"] = currency
        query["churned_after"] = churnedAfter.map(String.init)
        query["loyal_purchases"] = loyalPurchases.map(String.init)
        if let asOf {
            do throws(SyncCore.ValidationError) {
                query["as_of"] = try Days.parse(asOf)
            } catch {
                throw ValidationError(UsageText.asOf(["reason": error.refusal.text(cliLanguage)]))
            }
        }
        do throws(ReportParameterError) {
            return try ReportParameters(query: query)
        } catch {
            throw ValidationError(ReportCommand.optionSpelling(error.message))
        }
    }

    func validate() throws {
        _ = try parameters()
    }

    func run() throws {
        let parameters = try self.parameters()
        try Workbench.run(device) { bench in
            let fieldWork = FieldWork(bench: bench)
            let classification = try fieldWork.classification(parameters)
            let edits = classification.edits
            if apply {
                _ = try fieldWork.apply(classification)
            }
            if output.json {
                try JSONOutput.print(Outcome(applied: apply && !edits.isEmpty, changed: classification.changedRows.count, accounts: classification.rows))
                return
            }
            print(classification.table(all: all).localized(cliLanguage).text(), terminator: "")
            if edits.isEmpty {
                print(CLIString.classifiedNothing())
            } else if apply {
                print(edits.count == 1 ? CLIString.classifiedAppliedOne() : CLIString.classifiedApplied(["n": edits.count]))
            } else {
                print(edits.count == 1 ? CLIString.classifiedDryRunOne() : CLIString.classifiedDryRun(["n": edits.count]))
            }
        }
    }

    struct Outcome: Encodable {
        var applied: Bool
        var changed: Int
        var accounts: [AccountClassification.Row]
    }
}
