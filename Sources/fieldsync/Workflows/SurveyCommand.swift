import ArgumentParser
import CRM
import FieldWork

/// `fieldsync survey record --account A --kind csat --score 5`
struct SurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: CLIHelp.survey(),
        subcommands: [RecordSurveyCommand.self]
    )
}

struct RecordSurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: CLIHelp.recordSurveyAbstract()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.accountArgument()))
    var account: String

    @Option(help: ArgumentHelp(CLIHelp.recordSurveyContact()))
    var contact: String?

    @Option(help: ArgumentHelp(CLIHelp.recordSurveyKind()))
    var kind: String

    @Option(help: ArgumentHelp(CLIHelp.recordSurveyScore()))
    var score: Int64

    @Option(help: ArgumentHelp(CLIHelp.recordSurveyComment()))
    var comment: String?

    @Option(help: ArgumentHelp(CLIHelp.recordSurveyChannel()))
    var channel: String?

    @Option(help: ArgumentHelp(CLIHelp.recordSurveyAt(), valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func surveyKind() throws -> SurveyKind {
        guard let surveyKind = SurveyKind(rawValue: kind.lowercased()) else { throw ValidationError(UsageText.surveyKind(["kind": kind])) }
        return surveyKind
    }

    func validate() throws {
        let surveyKind = try surveyKind()
        if !surveyKind.scores.contains(score) {
            let scale = surveyKind == .csat ? UsageText.csatScale : UsageText.npsScale
            throw ValidationError(scale(["score": score]))
        }
    }

    func run() throws {
        let surveyKind = try surveyKind()
        try Workbench.run(device) { bench in
            let answer = FieldWork.SurveyAnswer(
                account: account, contact: contact, kind: surveyKind, score: score, comment: comment, channel: channel,
                answeredAt: try WorkflowArguments.time(at)
            )
            try bench.report(try FieldWork(bench: bench).recordSurvey(answer), verb: .recorded, json: output.json)
        }
    }
}
