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
        abstract: CLIHelp.logVisitAbstract(),
        discussion: CLIHelp.logVisitDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.logVisitAccount()))
    var account: String

    @Option(help: ArgumentHelp(CLIHelp.logVisitContact()))
    var contact: String?

    @Option(help: ArgumentHelp(CLIHelp.logVisitType()))
    var type = "visit"

    @Option(help: ArgumentHelp(CLIHelp.logVisitSubject()))
    var subject: String?

    @Option(help: ArgumentHelp(CLIHelp.outcome()))
    var outcome: String?

    @Option(name: .customLong("next-follow-up"), help: ArgumentHelp(CLIHelp.logVisitNextFollowUp(), valueName: "day"))
    var nextFollowUp: String?

    @Option(help: ArgumentHelp(CLIHelp.notes()))
    var notes: String?

    @Option(help: ArgumentHelp(CLIHelp.logVisitAt(), valueName: "time"))
    var at: String?

    @Option(help: ArgumentHelp(CLIHelp.logVisitDuration()))
    var duration: Int?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let duration, duration < 0 { throw ValidationError(UsageText.durationNegative()) }
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
