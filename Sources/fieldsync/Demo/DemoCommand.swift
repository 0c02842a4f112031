import ArgumentParser
import FieldWork
import Foundation

/// `fieldsync demo`: the quick-start demo.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: CLIHelp.demo()
    )

    @Option(help: ArgumentHelp(CLIHelp.demoFixtures()))
    var fixtures: String?

    @Option(help: ArgumentHelp(CLIHelp.demoSeed()))
    var seed: UInt64?

    @Option(help: ArgumentHelp(CLIHelp.demoServerExecutable()))
    var serverExecutable: String?

    @Flag(help: ArgumentHelp(CLIHelp.demoKeep()))
    var keep = false

    func run() async throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let server = serverExecutable.map { URL(fileURLWithPath: $0) } ?? here.appendingPathComponent("fieldsync-server")
        guard FileManager.default.isExecutableFile(atPath: server.path) else {
            throw CommandErrors.failure(DemoString.serverMissing(["path": server.path]))
        }
        let fixturesURL = try locateFixtures(near: here)
        let runner = DemoRunner(
            serverExecutable: server, fixtures: fixturesURL, seed: seed ?? UInt64.random(in: 1...999_999),
            keepDirectory: keep, print: { Swift.print($0) }
        )
        let converged = try await CommandErrors.report { try await runner.run() }
        if !converged { throw ExitCode(1) }
    }

    private func locateFixtures(near executableDirectory: URL) throws -> URL {
        if let fixtures { return URL(fileURLWithPath: fixtures) }
        // From the working directory, or from the package root above .build/<config>/.
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("fixtures/crm-demo.json"),
            executableDirectory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/crm-demo.json"),
        ]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw CommandErrors.failure(DemoString.fixturesMissing())
        }
        return found
    }
}
