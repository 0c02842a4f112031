import ArgumentParser
import Foundation
import SyncCore
import SyncServer

/// `fieldsync-server territory add|list|remove`: the territories users work in and accounts
/// belong to. Devices learn the list when they sync and refuse others in `create` and `edit`.
struct TerritoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "territory",
        abstract: "Manage the list of sales territories (devices learn it when they sync).",
        discussion: "Once the list holds a territory, users (user add, user set) and device edits take only territories on it, by key or title.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a territory, or retitle one with the same code.",
            discussion: "Example: fieldsync-server territory add 华东 --code east"
        )

        @Argument(help: "The title people read, e.g. 华东.") var title: String
        @Option(help: "The key records store in their territory field, e.g. east (default: the title).") var code: String?
        @OptionGroup var store: StoreOptions

        func validate() throws {
            let key = (code ?? title).trimmingCharacters(in: .whitespaces)
            guard !title.trimmingCharacters(in: .whitespaces).isEmpty, !key.isEmpty else {
                throw ValidationError("a territory needs a title and a code")
            }
            guard key.count <= 64, !key.contains(",") else {
                throw ValidationError("--code must be at most 64 characters, without commas")
            }
        }

        func run() async throws {
            let storage = try await store.openStorage()
            let territory = Territory(
                name: (code ?? title).trimmingCharacters(in: .whitespaces), title: title.trimmingCharacters(in: .whitespaces)
            )
            let added = try await CommandFailure.reporting { try await storage.addTerritory(territory) }
            try await storage.close()
            print("\(added ? "added" : "retitled") territory \(territory.name) (\(territory.title))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the territories: code and title, one a line.")

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
        static let configuration = CommandConfiguration(abstract: "Remove a territory no user works in and no account belongs to.")

        @Argument(help: "The territory's code or title.") var territory: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let storage = try await store.openStorage()
            try await CommandFailure.reporting { try await storage.removeTerritory(named: territory) }
            try await storage.close()
            print("removed territory \(territory)")
        }
    }
}
