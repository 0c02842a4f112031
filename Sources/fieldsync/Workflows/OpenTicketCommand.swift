import ArgumentParser
import CRM
import FieldWork

/// `fieldsync ticket open --account A --title T`
struct OpenTicketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a complaint or service ticket (stamps the opening time): fieldsync ticket open --account 3f2a --title '发票错误' --severity high"
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: "The account: an id, a unique prefix or its name.")
    var account: String

    @Option(help: "The contact who raised it (must belong to the account).")
    var contact: String?

    @Option(help: "A short title.")
    var title: String

    @Option(help: "complaint, service_request or inquiry.")
    var category = "complaint"

    @Option(help: "low, medium, high or critical.")
    var severity = "medium"

    @Option(help: "What the customer reported.")
    var description: String?

    @Option(help: "Who handles it (default: the enrolled user).")
    var assignee: String?

    @Option(help: ArgumentHelp("When the customer raised it (the SLA counts from it): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
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
