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
        abstract: CLIHelp.opportunityStageAbstract(),
        discussion: CLIHelp.opportunityStageDiscussion([
            "defaults": StageProbabilities.standard.summary(cliLanguage),
            "example": #"{"entity":"target","id":"<uuid>","fields":{"kpi":"stage_probability_proposal","value":"40"}}"#,
        ])
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.opportunityStageId()))
    var id: String

    @Argument(help: ArgumentHelp(CLIHelp.opportunityStageStage()))
    var stage: String?

    @Option(help: ArgumentHelp(CLIHelp.opportunityStageReason()))
    var reason: String?

    @Flag(help: ArgumentHelp(CLIHelp.opportunityStageReopen()))
    var reopen = false

    @Option(help: ArgumentHelp(CLIHelp.opportunityStageAmount()))
    var amount: String?

    @Option(help: ArgumentHelp(CLIHelp.opportunityStageAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if stage == nil && !reopen {
            throw ValidationError(UsageText.newStage(["stages": OpportunityStage.allCases.map(\.rawValue).joined(separator: ", ")]))
        }
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError(UsageText.reasonEmpty())
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
