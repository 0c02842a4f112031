import ArgumentParser
import CRM
import FieldWork
import Foundation

/// `fieldsync import FILE`: loads a `fieldsync-fixture/1` data set into the device store.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: CLIHelp.importFixture(),
        discussion: CLIHelp.importDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: ArgumentHelp(CLIHelp.importFile()), completion: .file(extensions: ["json"]))
    var file: String

    @OptionGroup var progress: ProgressOptions

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CommandErrors.failure(CLIString.cannotRead(["file": file, "error": FileReadFailure(error)()]))
            }
            let summary = try FixtureImport(bench: bench).importFile(data, progressOffTerminal: progress.progress)
            if output.json {
                try JSONOutput.print(summary)
            } else {
                print(summary.text(file: file))
            }
        }
    }
}
