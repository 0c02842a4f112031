import ArgumentParser
import CRM
import FieldWork

/// `fieldsync followup`: act on one follow-up (`followups` lists them).
struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: CLIHelp.followUp(),
        subcommands: [FollowUpDoneCommand.self, FollowUpSnoozeCommand.self]
    )
}

/// `fieldsync followup done ID`
struct FollowUpDoneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "done",
        abstract: CLIHelp.followUpDoneAbstract(),
        discussion: CLIHelp.followUpDoneDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.followUpDoneActivity()))
    var activity: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).completeFollowUp(activity), verb: .done, json: output.json)
        }
    }
}

/// `fieldsync followup snooze ID --until DAY`
struct FollowUpSnoozeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze",
        abstract: CLIHelp.followUpSnoozeAbstract(),
        discussion: CLIHelp.followUpSnoozeDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.followUpSnoozeActivity()))
    var activity: String

    @Option(help: ArgumentHelp(CLIHelp.followUpSnoozeUntil(), valueName: "day"))
    var until: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let day = try Days.calendarDay(until)
            try bench.report(try FieldWork(bench: bench).snoozeFollowUp(activity, until: day, today: try Days.calendarDay("today")), verb: .snoozed, json: output.json)
        }
    }
}
