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
        abstract: "Convert a lead: fieldsync lead convert 3f2a --opportunity-title 'Line 2 retrofit' --amount 380000",
        discussion: """
            Creates the account (from the lead's company, city, industry, source and territory), a contact (the lead's \
            person, phone and e-mail) and an opportunity at qualification, and marks the lead converted with \
            converted_account and converted_opportunity: one transaction, all or nothing. If an account with the same \
            name and city is already on the device, the conversion stops: convert into it with --account, or pass \
            --new-account.
            """
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The lead: an id, a unique prefix or its name.")
    var lead: String

    @Option(name: .customLong("opportunity-title"), help: "The opportunity's title (default: New business: COMPANY).")
    var opportunityTitle: String?

    @Option(help: "The opportunity's amount.")
    var amount: String?

    @Option(help: "The amount's currency (CNY, USD, …).")
    var currency: String?

    @Option(name: .customLong("expected-close"), help: ArgumentHelp("When the deal should close: YYYY-MM-DD or +Nd.", valueName: "day"))
    var expectedClose: String?

    @Option(help: "Convert into this existing account (an id, a unique prefix or its name) instead of creating one.")
    var account: String?

    @Flag(name: .customLong("new-account"), help: "Create a new account even if one with the same name and city exists.")
    var newAccount = false

    @Option(help: ArgumentHelp("When it was converted (the opportunity is created on its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if account != nil && newAccount { throw ValidationError("give --account or --new-account, not both") }
        if let opportunityTitle, opportunityTitle.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--opportunity-title must not be empty")
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
