import ArgumentParser
import Foundation
import LoadGeneration

/// `fieldsync-load`: many simulated devices against running or spawned sync servers, with
/// throughput, latency percentiles, errors, CPU and memory, and a convergence check at the end.
@main
struct FieldSyncLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync-load",
        abstract: "Load-test fieldsync-server with many simulated devices.",
        discussion: """
            Devices are real SyncClient instances with their own device stores, split over worker
            processes (--processes) so that the generator, not the server, is never the bottleneck
            unnoticed: the report shows the CPU each side used. After the load every device syncs
            to quiescence and is compared with a fresh bootstrap of its user's scope.
            """,
        subcommands: [Run.self, Worker.self],
        defaultSubcommand: Run.self
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a load test (the default).")

    @Option(name: .customLong("server"), help: "URL of a running server; repeat for several (devices spread over them and switch between them).")
    var servers: [String] = []
    @Option(help: "With --server: a one-time enrollment code of an admin user (`fieldsync-server user add NAME --role admin`).")
    var adminCode: String?
    @Option(help: "Servers to start when no --server is given, with fieldsync-server from next to this executable.")
    var spawnServers = 1
    @Option(name: .customLong("store-arg"), parsing: .unconditionalSingleValue, help: "Argument for every spawned server command saying where the store is (e.g. --store-arg --postgres-url --store-arg URL); default: a temporary SQLite file.")
    var storeArguments: [String] = []
    @Option(name: .customLong("server-arg"), parsing: .unconditionalSingleValue, help: "Extra argument for `fieldsync-server serve`; repeat for several.")
    var serverArguments: [String] = []
    @Option(help: "Fixture file the spawned servers are seeded from (default fixtures/crm-demo.json).")
    var fixtures: String?
    @Option(help: "Simulated devices.") var devices = 200
    @Option(help: "Worker processes the devices are split over.") var processes = 4
    @Option(help: "Seconds of load (ignored with --rounds).") var duration = 60.0
    @Option(help: "Actions per device instead of a duration.") var rounds: Int?
    @Option(name: .customLong("think-ms"), help: "Mean pause before each action of a device, ms (exponential); 0 for none.")
    var thinkMilliseconds = 1000.0
    @Option(help: "Weights of the actions, e.g. pull:70,push:27,bootstrap:3.") var mix = ActionMix.realistic.description
    @Option(help: "Edits per push, N or MIN-MAX.") var edits = "1-10"
    @Option(help: "Edits each device makes before the load starts (pushed by its first push).") var prestage = 0
    @Option(help: "Changes per push request.") var batchSize = 500
    @Option(help: "Chance a device moves to another server before an action.") var switchProbability = 0.2
    @Flag(help: "Keep device stores in memory instead of temporary files.") var inMemory = false
    @Option(help: "Seed of the devices' choices.") var seed: UInt64 = 1
    @Flag(help: "Write the report as JSON (to --output, else Benchmarks/results/load-DATE.json).") var json = false
    @Option(help: "Where --json writes.") var output: String?

    func validate() throws {
        guard ActionMix(parsing: mix) != nil else { throw ValidationError("--mix must look like pull:70,push:27,bootstrap:3") }
        guard editRange != nil else { throw ValidationError("--edits must be N or MIN-MAX with 0 ≤ MIN ≤ MAX") }
        guard devices > 0, processes > 0, spawnServers > 0, batchSize > 0 else { throw ValidationError("--devices, --processes, --spawn-servers and --batch-size must be positive") }
        if !servers.isEmpty && adminCode == nil { throw ValidationError("--server needs --admin-code") }
    }

    var editRange: ClosedRange<Int>? {
        let parts = edits.split(separator: "-").compactMap { Int($0) }
        guard let low = parts.first, let high = parts.last, parts.count <= 2, low >= 0, low <= high else { return nil }
        return low...high
    }

    func run() async throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let target: ServerTarget
        if servers.isEmpty {
            let server = here.deletingLastPathComponent().appendingPathComponent("fieldsync-server")
            guard FileManager.default.isExecutableFile(atPath: server.path) else {
                throw ValidationError("fieldsync-server not found next to fieldsync-load (\(server.path)): build it with the same configuration, or give --server")
            }
            target = .spawn(SpawnOptions(
                count: spawnServers, executable: server, storeArguments: storeArguments, serveArguments: serverArguments, fixtures: try fixtureFile(here)
            ))
        } else {
            let urls = try servers.map { text in
                guard let url = URL(string: text), url.scheme != nil else { throw ValidationError("'\(text)' is not a URL") }
                return url
            }
            target = .running(urls: urls, adminCode: adminCode ?? "")
        }
        let plan = LoadPlan(
            devices: devices, rounds: rounds, durationSeconds: duration, thinkMilliseconds: thinkMilliseconds,
            mix: ActionMix(parsing: mix) ?? .realistic, editsPerPush: editRange ?? 1...10, prestagedEdits: prestage, batchSize: batchSize,
            switchProbability: switchProbability, inMemoryStores: inMemory, seed: seed
        )
        let coordinator = LoadCoordinator(plan: plan, processes: processes, target: target, workerExecutable: here, workerArguments: ["worker"])
        let report = try await coordinator.run()
        print(report.table())
        if json || output != nil {
            let path = output ?? "Benchmarks/results/load-\(ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")).json"
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let url = URL(fileURLWithPath: path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoder.encode(report).write(to: url)
            print("written to \(path)")
        }
        if !report.passed { throw ExitCode.failure }
    }

    /// --fixtures, else fixtures/crm-demo.json under the working directory or the package
    /// this executable was built in (.build/CONFIG/fieldsync-load).
    func fixtureFile(_ executable: URL) throws -> URL {
        if let fixtures { return URL(fileURLWithPath: fixtures) }
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("fixtures/crm-demo.json"),
            executable.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("fixtures/crm-demo.json"),
            executable.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("fixtures/crm-demo.json"),
        ]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw ValidationError("fixtures/crm-demo.json not found; run from the repository root or pass --fixtures")
        }
        return found
    }
}

/// A worker process, started by `run`: not for people.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a share of the devices (started by fieldsync-load itself).", shouldDisplay: false)

    func run() async throws {
        let status = await LoadWorker.run()
        if status != 0 { throw ExitCode(status) }
    }
}
