import ArgumentParser
import Foundation
import LoadGeneration
import LoadReplay

/// `fieldsync-replay`: pre-built sync requests sent open-loop at stepped arrival rates to
/// servers it starts, with the servers' own CPU per accepted change and per-kind p99.
@main
struct FieldSyncReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync-replay",
        abstract: "Find the highest request rate fieldsync-server sustains with p99 under a limit.",
        discussion: """
            For every setup (--setup sqlite-1, postgres-1, postgres-2) and device count (--devices),
            starts the servers on a store seeded from the fixtures, enrolls the devices (each with
            its user's scope in a real device store), then for every workload (ingest: pushes only;
            mixed: pull:70,push:27,bootstrap:3) sends requests open-loop at --start-rate, times
            --factor per step, until a step's p99 (from each request's scheduled time) reaches the
            limit or a request fails. Pushes are made and encoded before each step starts.
            PostgreSQL runs in a private cluster started for the run (FIELDSYNC_POSTGRES_BIN).
            """
    )

    @Option(name: .customLong("setup"), help: "sqlite-1, postgres-1 or postgres-2; repeat for several (default all three).")
    var setups: [String] = []
    @Option(name: .customLong("devices"), help: "Enrolled devices; repeat for several (default 50 and 500).")
    var deviceCounts: [Int] = []
    @Option(name: .customLong("workload"), help: "ingest or mixed; repeat for both (the default).")
    var workloads: [String] = []
    @Option(help: "Requests per second of the first step.") var startRate = 25.0
    @Option(help: "Each step's rate is the last one's times this.") var factor = 2.0
    @Option(help: "Steps at most per workload.") var maxSteps = 8
    @Option(help: "Seconds of arrivals per step.") var stepSeconds = 5.0
    @Option(name: .customLong("p99-ms"), help: "The p99 a sustained step stays under, ms.") var p99Milliseconds = 250.0
    @Option(help: "Changes per push, N or MIN-MAX.") var changes = "1-9"
    @Option(help: "Fixture file the servers are seeded from (default fixtures/crm-demo.json).") var fixtures: String?
    @Option(help: "Seed of the schedule and the edits.") var seed: UInt64 = 1
    @Option(help: "Results file the report is merged into under the key `replay` (other keys are kept).")
    var output = "Benchmarks/results/latest.json"
    @Flag(help: "Print only; write no results file.") var noRecord = false

    func validate() throws {
        guard changeRange != nil else { throw ValidationError("--changes must be N or MIN-MAX with 1 ≤ MIN ≤ MAX") }
        guard startRate > 0, factor > 1, maxSteps > 0, stepSeconds > 0, p99Milliseconds > 0 else {
            throw ValidationError("--start-rate, --max-steps, --step-seconds and --p99-ms must be positive and --factor above 1")
        }
        guard deviceCounts.allSatisfy({ $0 > 0 }) else { throw ValidationError("--devices must be positive") }
        _ = try parsedSetups(devices: 1)
        _ = try parsedWorkloads()
    }

    var changeRange: ClosedRange<Int>? {
        let parts = changes.split(separator: "-").compactMap { Int($0) }
        guard let low = parts.first, let high = parts.last, parts.count <= 2, low >= 1, low <= high else { return nil }
        return low...high
    }

    func parsedSetups(devices: Int) throws -> [ReplaySetup] {
        try (setups.isEmpty ? ["sqlite-1", "postgres-1", "postgres-2"] : setups).map { text in
            let parts = text.split(separator: "-")
            guard parts.count == 2, let backend = ReplayBackend(rawValue: String(parts[0])), let servers = Int(parts[1]), servers > 0,
                  backend == .postgres || servers == 1 else {
                throw ValidationError("--setup '\(text)': use sqlite-1 or postgres-N (SQLite is for one server)")
            }
            return ReplaySetup(backend: backend, servers: servers, devices: devices)
        }
    }

    func parsedWorkloads() throws -> [ReplayWorkload] {
        try (workloads.isEmpty ? ["ingest", "mixed"] : workloads).map { name in
            switch name {
            case "ingest": .ingest
            case "mixed": .mixed
            default: throw ValidationError("--workload '\(name)': use ingest or mixed")
            }
        }
    }

    func run() async throws {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let server = here.deletingLastPathComponent().appendingPathComponent("fieldsync-server")
        guard FileManager.default.isExecutableFile(atPath: server.path) else {
            throw ValidationError("fieldsync-server not found next to fieldsync-replay (\(server.path)): build it with the same configuration")
        }
        let fixtureFile = try locateFixtures(here)
        var results: [SetupResult] = []
        var plan = ReplayPlan()
        for devices in deviceCounts.isEmpty ? [50, 500] : deviceCounts {
            plan = ReplayPlan(
                devices: devices, changesPerPush: changeRange ?? 1...9, startRate: startRate, factor: factor, maxSteps: maxSteps,
                stepSeconds: stepSeconds, p99LimitMilliseconds: p99Milliseconds, seed: seed
            )
            for setup in try parsedSetups(devices: devices) {
                let replayer = Replayer(setup: setup, plan: plan, workloads: try parsedWorkloads(), serverExecutable: server, fixtures: fixtureFile)
                results.append(try await replayer.run())
            }
        }
        let build = here.deletingLastPathComponent().lastPathComponent
        let report = ReplayReport(
            date: Date(), command: ([CommandLine.arguments[0]] + CommandLine.arguments.dropFirst()).joined(separator: " "),
            build: build, plan: plan, results: results
        )
        print(report.table())
        if !noRecord {
            try report.merge(into: output)
            print("merged into \(output) under \"replay\"")
        }
    }

    /// --fixtures, else fixtures/crm-demo.json in the working directory or the package this
    /// executable was built in (.build/CONFIG/fieldsync-replay).
    func locateFixtures(_ executable: URL) throws -> URL {
        if let fixtures { return URL(fileURLWithPath: fixtures) }
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("fixtures/crm-demo.json")]
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            folder = folder.deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("fixtures/crm-demo.json"))
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw ValidationError("fixtures/crm-demo.json not found; run from the repository root or pass --fixtures")
        }
        return found
    }
}
