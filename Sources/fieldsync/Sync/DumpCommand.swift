import ArgumentParser
import Foundation

/// `fieldsync dump`: every record's full merge state as canonical JSON, for comparing replicas.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: CLIHelp.dump()
    )

    @OptionGroup var device: DeviceOptions

    func run() throws {
        let store = try device.openStore()
        let data = try CommandErrors.report { try store.canonicalDump() }
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
