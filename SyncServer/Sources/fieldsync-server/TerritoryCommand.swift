import ArgumentParser
import CRM
import Foundation
import SyncCore
import SyncServer

/// `fieldsync-server territory add|list|remove`: the territories users work in and accounts
/// belong to. Devices learn the list when they sync and refuse others in `create` and `edit`.
struct TerritoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "territory",
        abstract: ServerCLIHelp.territory(),
        discussion: ServerCLIHelp.territoryDiscussion(),
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: ServerCLIHelp.territoryAdd(),
            discussion: ServerCLIHelp.territoryAddDiscussion()
        )

        @Argument(help: ArgumentHelp(ServerCLIHelp.territoryTitle())) var title: String
        @Option(help: ArgumentHelp(ServerCLIHelp.territoryCode())) var code: String?
        @OptionGroup var store: StoreOptions

        func validate() throws {
            let key = (code ?? title).trimmingCharacters(in: .whitespaces)
            guard !title.trimmingCharacters(in: .whitespaces).isEmpty, !key.isEmpty else {
                throw ValidationError(ServerCLIString.territoryNeedsTitle())
            }
            guard key.count <= 64, !key.contains(",") else {
                throw ValidationError(ServerCLIString.codeTooLong())
            }
        }

        func run() async throws {
            let storage = try await store.openStorage()
            let territory = Territory(
                name: (code ?? title).trimmingCharacters(in: .whitespaces), title: title.trimmingCharacters(in: .whitespaces)
            )
            let added = try await CommandFailure.reporting { try await storage.addTerritory(territory) }
            try await storage.close()
            print((added ? ServerCLIString.territoryAdded : .territoryRetitled)(["code": territory.name, "title": territory.title]))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: ServerCLIHelp.territoryList())

        @OptionGroup var store: StoreOptions

        func run() async throws {
            let storage = try await store.openStorage()
            let list = try await storage.territories()
            try await storage.close()
            for territory in list.territories {
                print("\(territory.name)\t\(territory.title)")
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: ServerCLIHelp.territoryRemove())

        @Argument(help: ArgumentHelp(ServerCLIHelp.territoryRemoveArgument())) var territory: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let storage = try await store.openStorage()
            try await CommandFailure.reporting { try await storage.removeTerritory(named: territory) }
            try await storage.close()
            print(ServerCLIString.territoryRemoved(["territory": territory]))
        }
    }
}
