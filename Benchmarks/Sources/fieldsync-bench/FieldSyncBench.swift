import CRM
import Foundation
import LoadGeneration
import SyncCore

/// `fieldsync-bench`: measures FieldSync against baselines run in the same process, prints a
/// table of medians and ratios, and writes the same as JSON under Benchmarks/results/.
@main
struct FieldSyncBench {
    static func main() async throws {
        // The ingest row runs its devices in copies of this executable (see ServerBenchmarks).
        if CommandLine.arguments.dropFirst().first == "load-worker" {
            exit(await LoadWorker.run())
        }
        let arguments = CommandLine.arguments.dropFirst()
        let quick = arguments.contains("--quick")
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { index in
                arguments.index(after: index) < arguments.endIndex ? arguments[arguments.index(after: index)] : nil
            }
        }
        // `--only merge`, `--only store`, `--only compaction` or `--only server` runs one group
        // (`--only edits` the store's tracked-edit rows, without its snapshot row), `--only TEXT` the merge cases whose name
        // contains TEXT, e.g. under a profiler; a partial run does not replace the recorded
        // results unless `--output` says where to write.
        let only = option("--only")
        let output = option("--output") ?? (only == nil ? "Benchmarks/results/latest.json" : nil)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fieldsync-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var rows: [BenchmarkRow] = []
        if !["store", "edits", "compaction", "server"].contains(only) { rows += try await mergeRows(quick: quick, matching: only == "merge" ? nil : only) }
        if only == nil || only == "store" || only == "edits" {
            rows += try StoreBenchmarks.run(quick: quick, schema: CRMSchema.schema, directory: directory, snapshot: only != "edits")
        }
        if only == nil || only == "compaction" { rows += try await CompactionBenchmarks.run(quick: quick, directory: directory) }
        if (only == nil || only == "server") && !arguments.contains("--no-server") {
            let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            let server = here.appendingPathComponent("fieldsync-server")
            guard FileManager.default.isExecutableFile(atPath: server.path) else {
                print("fieldsync-server not found next to fieldsync-bench (\(server.path)): build it with the same configuration, or pass --no-server")
                throw ExitCode.failure
            }
            rows += try await ServerBenchmarks.run(quick: quick, directory: directory, serverExecutable: server)
        }

        printTable(rows)
        guard let output else { return }
        // The replayer's report (`replay`) in the same file stays.
        try ResultsFile.merge([
            "machine": LoadReport.machineDescription(),
            "date": ISO8601DateFormatter().string(from: Date()),
            "quick": quick,
            "rows": rows,
            "figures": ServerBenchmarks.figures,
        ], into: output)
        print("\nwritten to \(output)")
    }

    static func mergeRows(quick: Bool, matching filter: String?) async throws -> [BenchmarkRow] {
        let count = quick ? 50_000 : 500_000
        let runs = quick ? 3 : 5
        let sequential = MergeBenchmarks.sequentialRegister(count: count)
        let concurrent = MergeBenchmarks.concurrentRegister(count: count)
        // `merging` is the pure form (a new state per change); `merge` edits the caller's only
        // copy in place, as the device store does with a state it has just loaded.
        let cases: [(name: String, changes: [Change], inPlace: Bool)] = [
            ("register merge, sequential writes", sequential, false),
            ("register merge, 3 concurrent writers", concurrent, false),
            ("register merge in place, sequential writes", sequential, true),
            ("register merge in place, 3 concurrent writers", concurrent, true),
            ("counter merge, 3 replicas", MergeBenchmarks.counter(count: count), false),
            ("add-wins set merge, adds and removes", MergeBenchmarks.set(count: count), false),
        ]
        var rows = try cases.filter { filter.map($0.name.contains) ?? true }.map { name, changes, inPlace in
            var sink = 0
            let samples = try measure(runs: runs, operations: changes.count) { _ in
                let state = inPlace ? try MergeBenchmarks.applyInPlace(changes) : try MergeBenchmarks.apply(changes)
                sink &+= state.fields.count
            }
            precondition(sink > 0)
            return row(name, baseline: "none (absolute)", samples, nil,
                       target: name.hasPrefix("register") ? "≥ 1,000,000 merges/s" : "(no target)", operations: changes.count)
        }
        if filter.map({ "import".contains($0) || "peers".contains($0) }) ?? true {
            rows += try await PeerBenchmarks.rows(quick: quick, runs: runs, sequential: sequential, concurrent: concurrent)
        }
        return rows
    }

    static func printTable(_ rows: [BenchmarkRow]) {
        let header = ["benchmark", "median/op", "rate", "baseline/op", "ratio", "cpu/op", "cpu rate", "cpu ratio", "target"]
        let body = rows.map { row in
            [
                row.name, formatDuration(row.medianSeconds), formatRate(row.operationsPerSecond),
                row.baselineMedianSeconds.map(formatDuration) ?? "-",
                row.ratio.map { String(format: "%.2f×", $0) } ?? "-",
                row.cpuMedianSeconds.map(formatDuration) ?? "-", row.cpuMedianSeconds.map { formatRate($0 > 0 ? 1 / $0 : 0) } ?? "-",
                row.cpuRatio.map { String(format: "%.2f×", $0) } ?? "-", row.target,
            ]
        }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        print(line(header))
        print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        for cells in body { print(line(cells)) }
        for (name, value) in ServerBenchmarks.figures.sorted(by: { $0.key < $1.key }) {
            print("  \(name): \(value >= 1000 ? String(format: "%.0f", value) : String(format: "%.3f", value))")
        }
        for row in rows where row.baselineMedianSeconds != nil {
            print("  baseline for '\(row.name)': \(row.baseline)")
        }
        print("  cpu: CPU time of the measuring thread (user + system) per operation; it moves less than wall time when the machine is shared")
    }
}

enum ExitCode: Error {
    case failure
}
