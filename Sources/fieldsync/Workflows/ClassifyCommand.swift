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
        discussion: """
            Tier: accounts ranked by revenue (submitted, confirmed and delivered orders); A while the accounts before \
            them make less than the first cut-off of revenue, B up to the second, C after (--cutoffs 80,95); or by \
            share of accounts with --rule customers (default cut-offs 20,50). Lifecycle: prospect without purchases, \
            churned after --churned-after days without contact, loyal from --loyal-purchases purchases, repeat from 2, \
            first_purchase at 1. Without --apply nothing changes: the accounts that would change are listed.
            """
    )

    @OptionGroup var device: DeviceOptions

    @Flag(help: "Write the suggested tiers and lifecycle stages (one transaction).")
    var apply = false

    @Option(help: ArgumentHelp("ABC cut-offs in percent.", valueName: "A,B"))
    var cutoffs: String?

    @Option(help: "revenue (share of revenue, default) or customers (share of accounts).")
    var rule: String?

    @Option(help: ArgumentHelp("Only revenue in this period: YYYY, YYYY-Qn, YYYY-MM, START..END or Nd.", valueName: "period"))
    var period: String?

    @Option(help: "The revenue currency (default CNY; orders in other currencies are left out).")
    var currency: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day to classify as of (default: today).", valueName: "day"))
    var asOf: String?

    @Option(name: .customLong("churned-after"), help: "Days without contact after which a customer is churned (default 180).")
    var churnedAfter: Int?

    @Option(name: .customLong("loyal-purchases"), help: "Purchases that make a customer loyal (default 4).")
    var loyalPurchases: Int?

    @Flag(help: "List every account, not only those that change.")
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
                throw ValidationError("--as-of: \(error.message)")
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
                try fieldWork.apply(classification)
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
