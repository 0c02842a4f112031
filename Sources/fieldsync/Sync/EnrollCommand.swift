import ArgumentParser
import FieldWork
import Foundation
import SyncClient

/// `fieldsync enroll`: trades a one-time code from an admin for this device's token.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: CLIHelp.enroll(),
        discussion: CLIHelp.enrollDiscussion()
    )

    @OptionGroup var device: DeviceOptions

    @Option(help: ArgumentHelp(CLIHelp.enrollServer()))
    var server: String

    @Option(help: ArgumentHelp(CLIHelp.enrollCode()))
    var code: String

    @Option(help: ArgumentHelp(CLIHelp.enrollName()))
    var name: String = ProcessInfo.processInfo.hostName

    @OptionGroup var output: OutputOptions

    /// What `--json` prints.
    struct Enrolled: Encodable {
        var user: String
        var role: String
        var territories: [String]
        var replica: String
    }

    func validate() throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw ValidationError(UsageText.serverURL())
        }
        guard !code.isEmpty else { throw ValidationError(UsageText.codeEmpty()) }
    }

    func run() async throws {
        let store = try device.openStore()
        let url = URL(string: server)!  // checked in validate()
        let client = SyncClient(store: store, transport: URLSessionTransport(baseURL: url, language: serverLanguage(json: output.json)), logger: device.logger)
        // The code is kept in the store before the request leaves: if this process is killed or
        // the answer is lost, the same command (or the next `fieldsync sync`) enrolls again.
        let response = try await CommandErrors.contactingServer(device, store) {
            try await client.enroll(code: code, deviceName: name, serverURL: server)
        }
        if output.json {
            return try JSONOutput.print(Enrolled(user: response.user, role: response.role, territories: response.territories, replica: store.replicaID.rawValue))
        }
        let territories = response.territories.joined(separator: ",")
        print((response.territories.isEmpty ? CLIString.enrolled : CLIString.enrolledTerritories)([
            "user": response.user, "role": response.role, "territories": territories, "replica": store.replicaID,
        ]))
    }
}
