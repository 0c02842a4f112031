import ArgumentParser
import FieldWork

/// `fieldsync visit`: visits, calls, e-mails and meetings.
struct VisitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit",
        abstract: CLIHelp.visit(),
        subcommands: [
            LogVisitCommand.self, PlanVisitCommand.self, VisitCalendarCommand.self, ReorderVisitsCommand.self, CheckInCommand.self,
            CheckOutCommand.self,
        ]
    )
}

/// `fieldsync visit log --account ID …`
struct LogVisitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Log a visit or call with its outcome and next follow-up.",
        discussion: "Example: fieldsync visit log --account 3f2a --contact 9c1d --type call --outcome 'wants a quote' --next-follow-up +7d"
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: "The account visited (an id, a unique prefix or its name).")
    var account: String

    @Option(help: "The contact met (an id, a unique prefix or its name); must belong to the account.")
    var contact: String?

    @Option(help: "visit, call, email or meeting.")
    var type = "visit"

    @Option(help: "A short subject.")
    var subject: String?

    @Option(help: "What came of it.")
    var outcome: String?

    @Option(name: .customLong("next-follow-up"), help: ArgumentHelp("When to follow up: YYYY-MM-DD, tomorrow, or +Nd.", valueName: "day"))
    var nextFollowUp: String?

    @Option(help: "Notes.")
    var notes: String?

    @Option(help: ArgumentHelp("When it happened: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @Option(help: "How long it took, in minutes.")
    var duration: Int?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let duration, duration < 0 { throw ValidationError("--duration must not be negative") }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let visit = FieldWork.Visit(
                account: account, contact: contact, type: ActivityType(rawValue: type), subject: subject, outcome: outcome,
                nextFollowUp: try WorkflowArguments.day(nextFollowUp), notes: notes, at: try WorkflowArguments.time(at),
                durationMinutes: duration
            )
            try bench.report(try FieldWork(bench: bench).logVisit(visit), verb: .logged, json: output.json)
        }
    }
}
