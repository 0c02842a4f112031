import ArgumentParser
import FieldWork

/// One step of a record's status machine, as a subcommand: `order confirm`, `quote send`,
/// `contract sign`… The library checks the move (`invalid_transition`) and stamps its day.
protocol StatusStep {
    static var commandName: String { get }
    static var abstract: String { get }
    static var discussion: String { get }
    /// The help of the record argument ("The order: an id, a unique prefix or its number.").
    static var recordHelp: String { get }
    /// True for a step that takes `--reason` (cancelling an order).
    static var takesReason: Bool { get }
    static func apply(_ work: FieldWork, _ record: String, reason: String?, at: FieldTime?) throws -> AppliedEdit
}

extension StatusStep {
    static var takesReason: Bool { false }
}

/// `fieldsync ENTITY STEP RECORD [--reason T] [--at TIME]`
struct StatusStepCommand<Step: StatusStep>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: Step.commandName, abstract: Step.abstract, discussion: Step.discussion)
    }

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(Step.recordHelp))
    var record: String

    @Option(help: ArgumentHelp(CLIHelp.why(), visibility: Step.takesReason ? .default : .private))
    var reason: String?

    @Option(help: ArgumentHelp(CLIHelp.statusStepAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if reason != nil && !Step.takesReason { throw ValidationError(UsageText.reasonNotTaken(["command": Step.commandName])) }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let applied = try Step.apply(FieldWork(bench: bench), record, reason: reason, at: try WorkflowArguments.time(at))
            try bench.report(applied, verb: .updated, json: output.json)
        }
    }
}
