import ArgumentParser

/// The field client: what a rep's phone does, on the command line.
@main
struct FieldSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: "Offline-first CRM field client.",
        subcommands: [EnrollCommand.self, SyncCommand.self, DumpCommand.self, DemoCommand.self, AdminCommand.self]
    )
}
