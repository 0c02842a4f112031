import ArgumentParser
import Foundation

/// `fieldsync init`: creates the device store.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the device store (a SQLite file) for this device."
    )

    @OptionGroup var device: DeviceOptions

    func run() throws {
        let existed = FileManager.default.fileExists(atPath: device.path)
        let store = try device.openStore()
        if existed {
            print("device store already exists at \(device.path) (replica \(store.replicaID))")
        } else {
            print("created device store at \(device.path) (replica \(store.replicaID))")
        }
    }
}
