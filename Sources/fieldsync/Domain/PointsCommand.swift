import ArgumentParser
import FieldWork

/// `fieldsync points add|subtract ACCOUNT N`
struct PointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "points",
        abstract: "Adjust an account's loyalty points (积分).",
        discussion: "Adjustments made on several devices add up.",
        subcommands: [AddPointsCommand.self, SubtractPointsCommand.self]
    )
}

/// The arguments of both points commands.
struct PointsArguments: ParsableArguments {
    @Argument(help: "The account: an id, a unique prefix or its name.")
    var account: String

    @Argument(help: "How many points (a positive whole number).")
    var points: Int64

    func validate() throws {
        if points <= 0 { throw ValidationError("points must be a positive whole number") }
    }
}

struct AddPointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add loyalty points.")

    @OptionGroup var device: DeviceOptions
    @OptionGroup var arguments: PointsArguments
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).addPoints(arguments.points, to: arguments.account), verb: "updated", json: output.json)
        }
    }
}

struct SubtractPointsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "subtract", abstract: "Subtract loyalty points (redeemed or corrected).")

    @OptionGroup var device: DeviceOptions
    @OptionGroup var arguments: PointsArguments
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).addPoints(-arguments.points, to: arguments.account), verb: "updated", json: output.json)
        }
    }
}
