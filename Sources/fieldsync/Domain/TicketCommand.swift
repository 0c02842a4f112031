import ArgumentParser
import FieldWork

/// `fieldsync ticket ack|start|resolve|close|reopen ID`
struct TicketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: CLIHelp.ticket(),
        discussion: "open → acknowledged → in_progress → resolved → closed; a resolved ticket may be reopened. The first response and resolution times are stamped; `callback` records the call-back (回访) after the resolution.",
        subcommands: [
            OpenTicketCommand.self, TicketActionCommand<Acknowledge>.self, TicketActionCommand<Start>.self, TicketActionCommand<Resolve>.self,
            TicketActionCommand<Close>.self, TicketActionCommand<Reopen>.self, TicketCallBackCommand.self,
        ]
    )

    /// One ticket action: its command name and help.
    protocol Action {
        static var action: FieldWork.TicketAction { get }
        static var commandName: String { get }
        static var abstract: String { get }
    }

    enum Acknowledge: Action {
        static let action = FieldWork.TicketAction.acknowledge
        static let commandName = "ack"
        static let abstract = "Acknowledge a ticket (stamps the first response time)."
    }

    enum Start: Action {
        static let action = FieldWork.TicketAction.start
        static let commandName = "start"
        static let abstract = "Start work on a ticket (in_progress)."
    }

    enum Resolve: Action {
        static let action = FieldWork.TicketAction.resolve
        static let commandName = "resolve"
        static let abstract = "Resolve a ticket (stamps the resolution time); add --resolution."
    }

    enum Close: Action {
        static let action = FieldWork.TicketAction.close
        static let commandName = "close"
        static let abstract = "Close a resolved ticket (final)."
    }

    enum Reopen: Action {
        static let action = FieldWork.TicketAction.reopen
        static let commandName = "reopen"
        static let abstract = "Reopen a resolved ticket (back to in_progress)."
    }
}

struct TicketActionCommand<A: TicketCommand.Action>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: A.commandName, abstract: A.abstract)
    }

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The ticket: an id, a unique prefix or its title.")
    var id: String

    @Option(help: "What was done to solve it.")
    var resolution: String?

    @Option(help: ArgumentHelp("When it happened (the response and resolution times are stamped with it): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try FieldWork(bench: bench).ticket(id, A.action, resolution: resolution, at: try WorkflowArguments.time(at))
            try bench.report(applied, verb: .updated, json: output.json)
        }
    }
}

/// `fieldsync ticket callback ID [--at TIME] [--notes T]`
struct TicketCallBackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "callback",
        abstract: "Record the call-back (回访) to the customer after a resolution (stamps called_back_at)."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The ticket: an id, a unique prefix or its title.")
    var id: String

    @Option(help: "What the customer said (added to the resolution).")
    var notes: String?

    @Option(help: ArgumentHelp("When the customer was called: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try FieldWork(bench: bench).callBack(id, notes: notes, at: try WorkflowArguments.time(at))
            try bench.report(applied, verb: .updated, json: output.json)
        }
    }
}
