import ArgumentParser
import CRM
import FieldWork
import Foundation
import SyncCore

/// The field client: what a rep's phone does, on the command line.
@main
struct FieldSync: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: CLIHelp.root(),
        discussion: CLIHelp.rootDiscussion(),
        version: "fieldsync \(FieldSync.version) (sync protocol \(SyncProtocol.version))",
        groupedSubcommands: [
            CommandGroup(name: CLIHelp.groupRecords(), subcommands: [
                InitCommand.self, CreateCommand.self, ListCommand.self, ShowCommand.self, EditCommand.self, DeleteCommand.self,
            ]),
            CommandGroup(name: CLIHelp.groupFieldWork(), subcommands: [
                VisitCommand.self, FollowUpsCommand.self, FollowUpCommand.self, OpportunityCommand.self, TagCommand.self, PointsCommand.self,
                QuoteCommand.self, OrderCommand.self, InvoiceCommand.self, ContractCommand.self, TicketCommand.self, LeadCommand.self, SurveyCommand.self, ClassifyCommand.self,
            ]),
            CommandGroup(name: CLIHelp.groupReports(), subcommands: [ReportCommand.self]),
            CommandGroup(name: CLIHelp.groupDevice(), subcommands: [
                StatusCommand.self, ConflictsCommand.self, HistoryCommand.self, ImportCommand.self, ImportCSVCommand.self, ExportCommand.self,
                EnrollCommand.self, SyncCommand.self, DumpCommand.self, DemoCommand.self,
            ]),
            CommandGroup(name: CLIHelp.groupAdmin(), subcommands: [AdminCommand.self]),
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
            let code = exitCode(for: error)
            if code == .validationFailure {
                let hint = SubcommandSuggestion.hint(for: Array(CommandLine.arguments.dropFirst()), root: Self.self)
                TerminalOutput.write(ParserText.localized(fullMessage(for: error)) + (hint.map { "\n" + $0 } ?? "") + "\n", to: .standardError)
                Foundation.exit(2)
            }
            // Help and --version, with the parser's own words in the CLI's language.
            let message = fullMessage(for: error)
            if code == .success, !message.isEmpty {
                Swift.print(ParserText.localized(message))
                Foundation.exit(0)
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
            return CLIString.didYouMean(["command": (path + [near]).joined(separator: " ")])
        }
        return nil
    }
}
