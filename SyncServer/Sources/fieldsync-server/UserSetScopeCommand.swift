import ArgumentParser
import Logging
import SyncServer

extension UserCommand {
    /// `fieldsync-server user set NAME`: replaces a user's territories and (for a manager) team.
    /// The user's devices resync on their next sync.
    struct SetScope: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Replace a user's territories and team; their devices resync on their next sync."
        )

        @Argument(help: "User name.") var name: String
        @Option(name: .customLong("territory"), help: "The new territories (replace the old ones); repeat for several.")
        var territories: [String] = []
        @Option(name: .customLong("team"), help: "The new team of a manager (replaces the old one); repeat for several.")
        var team: [String] = []
        @Flag(name: .customLong("no-team"), help: "Empty the manager's team.") var noTeam = false
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard !territories.isEmpty || !team.isEmpty || noTeam else {
                throw ValidationError("give --territory, --team or --no-team")
            }
            guard !(noTeam && !team.isEmpty) else { throw ValidationError("--team and --no-team exclude each other") }
        }

        func run() async throws {
            try await run(on: try await store.openStorage())
        }

        func run(on storage: some ServerStorage) async throws {
            let accounts = AccountService(storage: storage, logger: Logger(label: "fieldsync-server"))
            let updated = try await CommandFailure.reporting {
                guard let current = try await storage.user(named: name) else {
                    throw ServerError(.notFound, .noUserNamed, ["name": name])
                }
                return try await accounts.updateUser(
                    name: name,
                    territories: territories.isEmpty ? current.territories : territories,
                    team: noTeam ? [] : (team.isEmpty ? current.team : team)
                )
            }
            try await storage.close()
            print("\(updated.name): territories \(updated.territories.joined(separator: ", "))\(updated.team.isEmpty ? "" : "; team \(updated.team.joined(separator: ", "))")")
        }
    }
}
