import Foundation
import SyncClient
import SyncCore

/// FieldSync's merge workloads against Loro and Yrs (their Python packages, run by
/// `Benchmarks/scripts/crdt_peers.py` in the same run): importing writes, decoding included,
/// and writing in place. Each row's baseline is the peer's time per write; a ratio at or below
/// 1 means FieldSync is at least as fast.
enum PeerBenchmarks {
    /// The peers' script, found from this source file (the bench runs from a checkout).
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/crdt_peers.py")

    /// `FIELDSYNC_PEERS_PYTHON`, else the benchmarks' virtual environment
    /// (`Benchmarks/.venv`, where the README installs the peers), else `python3`.
    static var python: String {
        if let python = ProcessInfo.processInfo.environment["FIELDSYNC_PEERS_PYTHON"] { return python }
        let venv = script.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".venv/bin/python3")
        return FileManager.default.isExecutableFile(atPath: venv.path) ? venv.path : "python3"
    }

    /// One shape: FieldSync's samples and the script's key for the peers' figure.
    struct Shape {
        var name: String
        var key: String
        var operations: Int
        var samples: Samples
    }

    static func rows(quick: Bool, runs: Int, sequential: [Change], concurrent allConcurrent: [Change]) async throws -> [BenchmarkRow] {
        let concurrent = Array(allConcurrent.prefix(quick ? 50_000 : 200_000))
        var shapes: [Shape] = []
        var rows: [BenchmarkRow] = []
        for (label, key, changes) in [("concurrent", "concurrent_import", concurrent), ("sequential", "sequential_import", sequential)] {
            let pages = MergeBenchmarks.wirePages(changes)
            let bytes = pages.reduce(0) { $0 + $1.count }
            // The import must end where merging the changes themselves ends.
            let imported = try MergeBenchmarks.importWire(pages)
            let merged = try MergeBenchmarks.applyInPlace(changes)
            precondition(imported == merged)
            var sink = 0
            let samples = try measure(runs: runs, operations: changes.count) { _ in
                sink &+= try MergeBenchmarks.importWire(pages).fields.count
            }
            precondition(sink > 0)
            let name = "import \(changes.count.formatted()) \(label) register writes, decoding included (\(bytes / changes.count) B each, pages of 1 MiB)"
            rows.append(row(name, baseline: "none (absolute)", samples, nil, target: "≥ Loro and Yrs (rows below)", operations: changes.count))
            shapes.append(Shape(name: name, key: key, operations: changes.count, samples: samples))
        }
        var inPlace = 0
        let local = try measure(runs: runs, operations: sequential.count) { _ in
            inPlace &+= try MergeBenchmarks.applyInPlace(sequential).fields.count
        }
        precondition(inPlace > 0)
        shapes.append(Shape(name: "\(sequential.count.formatted()) sequential register writes in place", key: "sequential_local", operations: sequential.count, samples: local))

        guard let report = try await peers(concurrent: concurrent.count, sequential: sequential.count, runs: runs) else { return rows }
        for (peer, figures) in report.peers.sorted(by: { $0.key < $1.key }) {
            guard let version = figures.version else {
                print("  \(peer) not measured: \(figures.missing ?? "unknown")")
                continue
            }
            for shape in shapes {
                guard let figure = figures.shapes?[shape.key] else { continue }
                rows.append(row(
                    "\(shape.name): FieldSync vs \(peer)",
                    baseline: "\(peer) (\(peer == "Yrs" ? "pycrdt" : "loro") \(version), Python \(report.python)), same workload, same run",
                    shape.samples, Samples(wall: [figure.wallSeconds], cpu: [figure.cpuSeconds]),
                    target: "≤ 1×", operations: shape.operations
                ))
            }
        }
        return rows
    }

    struct Report: Decodable {
        var python: String
        var peers: [String: Peer]
    }

    struct Peer: Decodable {
        var version: String?
        var missing: String?
        /// Per shape (`concurrent_import`, `sequential_import`, `sequential_local`).
        var shapes: [String: Figure]?

        struct Figure: Decodable {
            var wallSeconds: Double
            var cpuSeconds: Double

            enum CodingKeys: String, CodingKey {
                case wallSeconds = "wall_seconds"
                case cpuSeconds = "cpu_seconds"
            }
        }
    }

    /// Runs the peers' script; nil (and a line saying why) when it cannot run.
    static func peers(concurrent: Int, sequential: Int, runs: Int) async throws -> Report? {
        let arguments = [python, script.path, "--concurrent", "\(concurrent)", "--sequential", "\(sequential)", "--runs", "\(runs)"]
        let result: CommandResult
        do {
            result = try await ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"), arguments)
        } catch {
            print("  peers not measured: \(python) \(script.path) did not start: \(error)")
            return nil
        }
        guard result.succeeded else {
            print("  peers not measured: \(script.lastPathComponent) exited with \(result.status): \(result.stderr.suffix(500))")
            return nil
        }
        return try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }
}
