import ArgumentParser
import FieldWork
import Foundation

/// `fieldsync import FILE`: loads a `fieldsync-fixture/1` data set into the device store.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: CLIHelp.importFixture(),
        discussion: "Records are created as this device's changes and pushed on the next sync. Register values are in wire form, set fields arrays of strings, counters integer totals; a record may reference records listed before it or already on the device."
    )

    @OptionGroup var device: DeviceOptions

    @Argument(help: "The JSON file.", completion: .file(extensions: ["json"]))
    var file: String

    @OptionGroup var output: OutputOptions

    func run() throws {
        try Workbench.run(device) { bench in
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CommandErrors.failure(CLIString.cannotRead(["file": file, "error": error.localizedDescription]))
            }
            let summary = try FixtureImport(bench: bench).importFile(data)
            if output.json {
                try JSONOutput.print(summary)
            } else {
                print(summary.text(file: file))
            }
        }
    }
}
