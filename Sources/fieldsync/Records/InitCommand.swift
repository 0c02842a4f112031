import ArgumentParser
import FieldWork
import Foundation

/// `fieldsync init`: creates the device store.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: CLIHelp.initCommand()
    )

    @OptionGroup var device: DeviceOptions

    @OptionGroup var output: OutputOptions

    /// What `--json` prints.
    struct Created: Encodable {
        var path: String
        var replica: String
        var created: Bool
    }

    func run() throws {
        let existed = FileManager.default.fileExists(atPath: device.path)
        let store = try device.openStore()
        if output.json {
            try JSONOutput.print(Created(path: device.path, replica: store.replicaID.rawValue, created: !existed))
        } else if existed {
            print(CLIString.storeExists(["path": device.path, "replica": store.replicaID]))
        } else {
            print(CLIString.storeCreated(["path": device.path, "replica": store.replicaID]))
        }
    }
}
