import ArgumentParser
import FieldWork

/// `fieldsync lead convert LEAD`: leads become customers.
struct LeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lead",
        abstract: CLIHelp.lead(),
        subcommands: [ConvertLeadCommand.self]
    )
}

struct ConvertLeadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: CLIHelp.convertLeadAbstract(),
        discussion: CLIHelp.convertLeadDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.convertLeadLead()))
    var lead: String

    @Option(name: .customLong("opportunity-title"), help: ArgumentHelp(CLIHelp.convertLeadOpportunityTitle()))
    var opportunityTitle: String?

    @Option(help: ArgumentHelp(CLIHelp.convertLeadAmount()))
    var amount: String?

    @Option(help: ArgumentHelp(CLIHelp.convertLeadCurrency()))
    var currency: String?

    @Option(name: .customLong("expected-close"), help: ArgumentHelp(CLIHelp.convertLeadExpectedClose(), valueName: "day"))
    var expectedClose: String?

    @Option(help: ArgumentHelp(CLIHelp.convertLeadAccount()))
    var account: String?

    @Flag(name: .customLong("new-account"), help: ArgumentHelp(CLIHelp.convertLeadNewAccount()))
    var newAccount = false

    @Option(help: ArgumentHelp(CLIHelp.convertLeadAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if account != nil && newAccount { throw ValidationError(UsageText.accountOrNewAccount()) }
        if let opportunityTitle, opportunityTitle.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(UsageText.opportunityTitleEmpty())
        }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let conversion = FieldWork.LeadConversion(
                lead: lead, account: account, forceNewAccount: newAccount, opportunityTitle: opportunityTitle,
                amount: try WorkflowArguments.amount(amount, field: "amount"), currency: currency,
                expectedClose: try WorkflowArguments.day(expectedClose), at: try WorkflowArguments.time(at)
            )
            try bench.report(try FieldWork(bench: bench).convertLead(conversion), verb: .converted, json: output.json)
        }
    }
}
