import ArgumentParser
import CRM
import FieldWork

/// `fieldsync opportunity`: the sales pipeline.
struct OpportunityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "opportunity",
        abstract: CLIHelp.opportunity(),
        subcommands: [OpportunityStageCommand.self]
    )
}

/// `fieldsync opportunity stage ID STAGE`
struct OpportunityStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Move an opportunity to another stage.",
        discussion: "qualification → needs_analysis → proposal → negotiation → won / lost. Only allowed transitions are accepted. won and lost are final unless --reopen, which moves the deal back to negotiation. lost needs --reason.\n\nA move sets the deal's win probability to the stage's unless the edit gives one (the pipeline report weights amounts by it), from the company's table; the defaults: "
            + StageProbabilities.standard.summary
            + ". An admin changes the table for every device with target records on the server (fieldsync-server import FILE), one per stage: "
            + #"{"entity": "target", "id": "<uuid>", "fields": {"kpi": "stage_probability_proposal", "value": "40"}}"#
            + " (value in percent, no rep or period); each device takes it at its next sync."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The opportunity: an id, a unique prefix or its title.")
    var id: String

    @Argument(help: "The new stage (omit with --reopen).")
    var stage: String?

    @Option(help: "Why the deal was lost (required for lost).")
    var reason: String?

    @Flag(help: "Reopen a won or lost opportunity (back to negotiation).")
    var reopen = false

    @Option(help: "Also set the amount.")
    var amount: String?

    @Option(help: ArgumentHelp("When it happened (a won or lost deal closes on its day): YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if stage == nil && !reopen {
            throw ValidationError("give the new stage (\(OpportunityStage.allCases.map(\.rawValue).joined(separator: ", "))) or --reopen")
        }
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason must not be empty")
        }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            let move = FieldWork.StageMove(
                opportunity: id, to: try WorkflowArguments.stage(stage, bench: bench), lostReason: reason,
                amount: try WorkflowArguments.amount(amount, field: "amount"), reopen: reopen, at: try WorkflowArguments.time(at)
            )
            try bench.report(try FieldWork(bench: bench).moveStage(move), verb: .updated, json: output.json)
        }
    }
}
