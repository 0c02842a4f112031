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
        abstract: "Mark an activity's follow-up done.",
        discussion: "Example: fieldsync followup done 0192f0c4 (the ID column of fieldsync followups)"
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The activity whose follow-up is done (an id or a unique prefix).")
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
        abstract: "Move an open follow-up to a later day.",
        discussion: "Example: fieldsync followup snooze 0192f0c4 --until +3d"
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The activity whose follow-up moves (an id or a unique prefix).")
    var activity: String

    @Option(help: ArgumentHelp("The new due day: YYYY-MM-DD, tomorrow or +Nd (today or later).", valueName: "day"))
    var until: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let day = try Days.calendarDay(until)
            try bench.report(try FieldWork(bench: bench).snoozeFollowUp(activity, until: day, today: try Days.calendarDay("today")), verb: .snoozed, json: output.json)
        }
    }
}
