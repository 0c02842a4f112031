import ArgumentParser
import CRM
import FieldWork

/// `fieldsync ticket open --account A --title T`
struct OpenTicketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: CLIHelp.openTicketAbstract()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.accountArgument()))
    var account: String

    @Option(help: ArgumentHelp(CLIHelp.openTicketContact()))
    var contact: String?

    @Option(help: ArgumentHelp(CLIHelp.openTicketTitle()))
    var title: String

    @Option(help: ArgumentHelp(CLIHelp.openTicketCategory()))
    var category = "complaint"

    @Option(help: ArgumentHelp(CLIHelp.openTicketSeverity()))
    var severity = "medium"

    @Option(help: ArgumentHelp(CLIHelp.openTicketDescription()))
    var description: String?

    @Option(help: ArgumentHelp(CLIHelp.openTicketAssignee()))
    var assignee: String?

    @Option(help: ArgumentHelp(CLIHelp.openTicketAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let new = FieldWork.NewTicket(
                account: account, contact: contact, title: title, category: TicketCategory(rawValue: category),
                severity: TicketSeverity(rawValue: severity), description: description, assignee: assignee, at: try WorkflowArguments.time(at)
            )
            try bench.report(try FieldWork(bench: bench).openTicket(new), verb: .opened, json: output.json)
        }
    }
}
