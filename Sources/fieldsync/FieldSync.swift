import ArgumentParser
import Foundation
import SyncCore

/// The field client: what a rep's phone does, on the command line.
@main
struct FieldSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: "Offline-first CRM field client.",
        discussion: "Every command works offline on the device store (--db, env FIELDSYNC_DB, default $XDG_DATA_HOME/fieldsync/device.sqlite or ~/.fieldsync/device.sqlite). A record may be typed as its id, a unique prefix of it, or its name (ambiguous names are refused with the list of matches).",
        version: "fieldsync \(FieldSync.version) (sync protocol \(SyncProtocol.version))",
        groupedSubcommands: [
            CommandGroup(name: "Records", subcommands: [
                InitCommand.self, CreateCommand.self, ListCommand.self, ShowCommand.self, EditCommand.self, DeleteCommand.self,
            ]),
            CommandGroup(name: "Field work", subcommands: [
                VisitCommand.self, FollowUpsCommand.self, FollowUpCommand.self, OpportunityCommand.self, TagCommand.self, PointsCommand.self,
                QuoteCommand.self, OrderCommand.self, InvoiceCommand.self, ContractCommand.self, TicketCommand.self, LeadCommand.self, SurveyCommand.self, ClassifyCommand.self,
            ]),
            CommandGroup(name: "Reports", subcommands: [ReportCommand.self]),
            CommandGroup(name: "Device", subcommands: [
                StatusCommand.self, ConflictsCommand.self, HistoryCommand.self, ImportCommand.self, ImportCSVCommand.self, ExportCommand.self,
                EnrollCommand.self, SyncCommand.self, DumpCommand.self, DemoCommand.self,
            ]),
            CommandGroup(name: "Admin", subcommands: [AdminCommand.self]),
        ]
    )

    /// The release of the field client.
    static let version = "0.9.0"

    /// Runs a command. Library errors are reported by the commands as one line and exit
    /// code 1; usage errors (unknown options, missing arguments) exit with 2, as shells do.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                let hint = SubcommandSuggestion.hint(for: Array(CommandLine.arguments.dropFirst()), root: Self.self)
                TerminalOutput.write(fullMessage(for: error) + (hint.map { "\n" + $0 } ?? "") + "\n", to: .standardError)
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// "Did you mean" for a mistyped subcommand (`fieldsync lst` → `list`, `tag ad` → `add`).
enum SubcommandSuggestion {
    /// Follows `arguments` down the command tree from `root`; at the first word that names no
    /// subcommand of a command that has some, the nearest name, if it is close enough to be a
    /// typo.
    static func hint(for arguments: [String], root: ParsableCommand.Type) -> String? {
        var command = root
        var path = [root.configuration.commandName ?? "fieldsync"]
        for word in arguments where !word.hasPrefix("-") {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty else { return nil }
            let names = subcommands.map { $0.configuration.commandName ?? String(describing: $0).lowercased() }
            if let index = names.firstIndex(of: word) {
                command = subcommands[index]
                path.append(word)
                continue
            }
            guard let near = Suggestions.nearest(word, among: names) else { return nil }
            return "Did you mean '\((path + [near]).joined(separator: " "))'?"
        }
        return nil
    }
}
