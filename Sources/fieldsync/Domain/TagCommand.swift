import ArgumentParser
import FieldWork

/// `fieldsync tag add|remove ACCOUNT TAG…`
struct TagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: CLIHelp.tag(),
        discussion: "Tags from several devices merge; an add concurrent with a remove wins.",
        subcommands: [AddTagCommand.self, RemoveTagCommand.self]
    )
}

struct AddTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add tags to an account.")

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The account: an id, a unique prefix or its name.")
    var account: String

    @Argument(help: "The tags to add.")
    var tags: [String]

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if tags.isEmpty { throw ValidationError("give at least one tag") }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).addTags(tags, to: account), verb: .tagged, json: output.json)
        }
    }
}

struct RemoveTagCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove tags from an account.")

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The account: an id, a unique prefix or its name.")
    var account: String

    @Argument(help: "The tags to remove.")
    var tags: [String]

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if tags.isEmpty { throw ValidationError("give at least one tag") }
    }

    func run() throws {
        try Workbench.run(device) { bench in
            try bench.report(try FieldWork(bench: bench).removeTags(tags, from: account), verb: .untagged, json: output.json)
        }
    }
}
