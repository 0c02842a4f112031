import ArgumentParser
import CRM
import Logging
import SyncServer

extension UserCommand {
    /// `fieldsync-server user set NAME`: replaces a user's territories and (for a manager) team.
    /// The user's devices resync on their next sync.
    struct SetScope: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: ServerCLIHelp.userSet()
        )

        @Argument(help: ArgumentHelp(ServerCLIHelp.userName())) var name: String
        @Option(name: .customLong("territory"), help: ArgumentHelp(ServerCLIHelp.setTerritory()))
        var territories: [String] = []
        @Option(name: .customLong("team"), help: ArgumentHelp(ServerCLIHelp.setTeam()))
        var team: [String] = []
        @Flag(name: .customLong("no-team"), help: ArgumentHelp(ServerCLIHelp.noTeam())) var noTeam = false
        @OptionGroup var store: StoreOptions

        func validate() throws {
            guard !territories.isEmpty || !team.isEmpty || noTeam else {
                throw ValidationError(ServerCLIString.giveScope())
            }
            guard !(noTeam && !team.isEmpty) else { throw ValidationError(ServerCLIString.teamExcludes()) }
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
            let teamText = updated.team.isEmpty ? "" : ServerCLIString.updatedTeam(["team": updated.team.joined(separator: ", ")])
            print(ServerCLIString.userUpdated(["name": updated.name, "territories": updated.territories.joined(separator: ", "), "team": teamText]))
        }
    }
}
