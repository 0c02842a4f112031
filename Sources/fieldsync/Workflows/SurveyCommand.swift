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
        abstract: "Record a survey answer: fieldsync survey record --account 3f2a --kind nps --score 9 --channel visit"
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: "The account: an id, a unique prefix or its name.")
    var account: String

    @Option(help: "The contact who answered (must belong to the account).")
    var contact: String?

    @Option(help: "csat (1–5) or nps (0–10).")
    var kind: String

    @Option(help: "The score.")
    var score: Int64

    @Option(help: "What the customer said.")
    var comment: String?

    @Option(help: "questionnaire, phone, online or visit.")
    var channel: String?

    @Option(help: ArgumentHelp("When it was answered: YYYY-MM-DDTHH:MM[:SS] with Z or an offset such as +08:00 (default: now).", valueName: "time"))
    var at: String?

    @OptionGroup var output: OutputOptions

    func surveyKind() throws -> SurveyKind {
        guard let surveyKind = SurveyKind(rawValue: kind.lowercased()) else { throw ValidationError("--kind is csat or nps, got '\(kind)'") }
        return surveyKind
    }

    func validate() throws {
        let surveyKind = try surveyKind()
        if !surveyKind.scores.contains(score) {
            let scale = surveyKind == .csat ? "a CSAT score is from 1 to 5" : "an NPS score is from 0 to 10"
            throw ValidationError("\(scale), got \(score)")
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
