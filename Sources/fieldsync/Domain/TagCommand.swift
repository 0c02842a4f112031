import ArgumentParser
import FieldWork

/// `fieldsync tag add|remove ACCOUNT TAG…`
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: CLIHelp.tag(),
        discussion: CLIHelp.tagDiscussion(),
        subcommands: [AddTagCommand.self, RemoveTagCommand.self]
    )
}

struct AddTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: CLIHelp.addTagAbstract())

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.accountArgument()))
    var account: String

    @Argument(help: ArgumentHelp(CLIHelp.addTagTags()))
    var tags: [String]

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if tags.isEmpty { throw ValidationError(UsageText.atLeastOneTag()) }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).addTags(tags, to: account), verb: .tagged, json: output.json)
        }
    }
}

struct RemoveTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: CLIHelp.removeTagAbstract())

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.accountArgument()))
    var account: String

    @Argument(help: ArgumentHelp(CLIHelp.removeTagTags()))
    var tags: [String]

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if tags.isEmpty { throw ValidationError(UsageText.atLeastOneTag()) }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).removeTags(tags, from: account), verb: .untagged, json: output.json)
        }
    }
}
