import ArgumentParser
import FieldWork

/// `fieldsync ticket ack|start|resolve|close|reopen ID`
struct TicketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticket",
        abstract: CLIHelp.ticket(),
        discussion: CLIHelp.ticketDiscussion(),
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
        static let abstract = CLIHelp.ticketAckAbstract()
    }

    enum Start: Action {
        static let action = FieldWork.TicketAction.start
        static let commandName = "start"
        static let abstract = CLIHelp.ticketStartAbstract()
    }

    enum Resolve: Action {
        static let action = FieldWork.TicketAction.resolve
        static let commandName = "resolve"
        static let abstract = CLIHelp.ticketResolveAbstract()
    }

    enum Close: Action {
        static let action = FieldWork.TicketAction.close
        static let commandName = "close"
        static let abstract = CLIHelp.ticketCloseAbstract()
    }

    enum Reopen: Action {
        static let action = FieldWork.TicketAction.reopen
        static let commandName = "reopen"
        static let abstract = CLIHelp.ticketReopenAbstract()
    }
}

struct TicketActionCommand<A: TicketCommand.Action>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: A.commandName, abstract: A.abstract)
    }

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.ticketArgument()))
    var id: String

    @Option(help: ArgumentHelp(CLIHelp.ticketActionResolution()))
    var resolution: String?

    @Option(help: ArgumentHelp(CLIHelp.ticketActionAt(), valueName: "time"))
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
        abstract: CLIHelp.ticketCallBackAbstract()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.ticketArgument()))
    var id: String

    @Option(help: ArgumentHelp(CLIHelp.ticketCallBackNotes()))
    var notes: String?

    @Option(help: ArgumentHelp(CLIHelp.ticketCallBackAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try FieldWork(bench: bench).callBack(id, notes: notes, at: try WorkflowArguments.time(at))
            try bench.report(applied, verb: .updated, json: output.json)
        }
    }
}
