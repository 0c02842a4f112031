import Foundation

/// The outcome of a load run: what the README quotes and `--json` writes.
public struct LoadReport: Codable, Sendable {
    public var date = ISO8601DateFormatter().string(from: Date())
    public var machine = LoadReport.machineDescription()
    public var command: [String] = CommandLine.arguments
    public var plan: LoadPlan
    public var processes: Int
    public var servers: [String]
    public var backend: String
    public var users: Int
    public var setup: Phase
    public var load: Phase
    /// Flush and verify together: syncs after the load stopped.
    public var quiescence: Phase
    public var loadSeconds: Double
    /// Changes the servers accepted per second of the load phase.
    public var acceptedPerSecond: Double
    public var syncsPerSecond: Double
    public var cpu: CPUReport
    public var serverPeakResidentMiB: [Double]
    public var workerPeakResidentMiB: Double
    public var devicesChecked: Int
    public var divergences: Int
    public var divergenceDetails: [String]
    /// Records in each user's scope after the run, by user.
    public var scopeRecords: [String: Int]
    /// Failed HTTP exchanges and failed syncs in every phase: the run passes only at 0.
    public var errors: Int
    public var passed: Bool

    /// Counters and latency percentiles of one phase.
    public struct Phase: Codable, Sendable {
        public var syncs: [String: Int]
        public var accepted: Int
        public var duplicates: Int
        public var pulled: Int
        public var snapshotRecords: Int
        public var rejected: [String: Int]
        public var errors: [String: Int]
        public var failedSyncs: [String: Int]
        public var editsMade: Int
        /// Edits the device's own rules refused, by entity and code.
        public var editsRefused: [String: Int]
        public var enrollments: Int
        public var cpuSeconds: Double
        /// Milliseconds, by sync kind (`pull`, `push`, `bootstrap`…) and `request` (one HTTP exchange).
        public var latency: [String: LatencySummary]

        init(_ stats: LoadStats) {
            syncs = stats.syncs
            accepted = stats.accepted
            duplicates = stats.duplicates
            pulled = stats.pulled
            snapshotRecords = stats.snapshotRecords
            rejected = stats.rejected
            errors = stats.errors
            failedSyncs = stats.failedSyncs
            editsMade = stats.editsMade
            editsRefused = stats.editsRefused
            enrollments = stats.enrollments
            cpuSeconds = stats.cpuSeconds
            latency = Dictionary(uniqueKeysWithValues: stats.latency.keys.compactMap { kind in stats.percentiles(kind).map { (kind, $0) } })
        }

        var errorCount: Int { errors.values.reduce(0, +) + failedSyncs.values.reduce(0, +) }
    }

    init(
        plan: LoadPlan, processes: Int, servers: [String], backend: String, users: Int, setup: LoadStats, load: LoadStats, quiescence: LoadStats,
        loadSeconds: Double, cpu: CPUReport, serverPeakResidentMiB: [Double], workerPeakResidentMiB: Double,
        references: [String: ScopeReference], checks: [DeviceCheck], verified: Bool
    ) {
        self.plan = plan
        self.processes = processes
        self.servers = servers
        self.backend = backend
        self.users = users
        self.setup = Phase(setup)
        self.load = Phase(load)
        self.quiescence = Phase(quiescence)
        self.loadSeconds = loadSeconds
        acceptedPerSecond = loadSeconds > 0 ? Double(load.accepted) / loadSeconds : 0
        syncsPerSecond = loadSeconds > 0 ? Double(load.syncs.values.reduce(0, +)) / loadSeconds : 0
        self.cpu = cpu
        self.serverPeakResidentMiB = serverPeakResidentMiB
        self.workerPeakResidentMiB = workerPeakResidentMiB
        devicesChecked = checks.count
        let diverged = checks.filter { !$0.matches || $0.pendingChanges > 0 }
        let unchecked = verified ? max(0, plan.devices - checks.count) : 0
        divergences = diverged.count + unchecked
        divergenceDetails = diverged.prefix(20).map { check in
            "device \(check.device) (\(check.user)): \(check.records) records, digest \(check.digest.prefix(12)); "
                + "\(check.pendingChanges) pending (\(check.rejectedChanges) rejected); " + check.differences.joined(separator: "; ")
        }
        if unchecked > 0 { divergenceDetails.append("\(unchecked) device(s) were not checked") }
        scopeRecords = references.mapValues(\.records)
        errors = self.setup.errorCount + self.load.errorCount + self.quiescence.errorCount
        passed = errors == 0 && divergences == 0
    }

    /// A short description of the machine for the results files (also fieldsync-bench's).
    public static func machineDescription() -> [String: String] {
        var info: [String: String] = [
            "cores": String(ProcessInfo.processInfo.activeProcessorCount),
            "memoryGiB": String(format: "%.1f", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824),
            "os": ProcessInfo.processInfo.operatingSystemVersionString,
        ]
        if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let name = line.split(separator: ":", maxSplits: 1).last {
            info["cpu"] = name.trimmingCharacters(in: .whitespaces)
        }
        #if DEBUG
        info["build"] = "debug"
        #else
        info["build"] = "release"
        #endif
        return info
    }
}

/// Where the CPU went during the load phase.
public struct CPUReport: Codable, Sendable {
    public var loadSeconds: Double
    public var cores: Int
    /// The load generator: worker processes and the coordinator.
    public var generatorSeconds: Double
    /// The spawned servers; nil for servers this run did not start.
    public var serverSeconds: Double?
    /// All cores busy, every process on the machine (other work included).
    public var machineBusySeconds: Double?

    /// CPU seconds as a share of the machine's capacity over the load phase.
    func share(_ seconds: Double) -> String {
        let capacity = loadSeconds * Double(cores)
        return capacity > 0 ? String(format: "%.1f s (%.0f%% of %d cores)", seconds, 100 * seconds / capacity, cores) : "-"
    }
}

extension LoadReport {
    /// The human summary.
    public func table() -> String {
        var lines: [String] = []
        func add(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 34, withPad: " ", startingAt: 0) + value)
        }
        add("servers", "\(servers.count) (\(backend)) \(servers.joined(separator: " "))")
        add("devices", "\(plan.devices) of \(users) users in \(processes) worker process(es)\(plan.inMemoryStores ? ", in-memory stores" : "")")
        add("mix", "\(plan.mix), \(plan.editsPerPush.lowerBound)–\(plan.editsPerPush.upperBound) edits per push, think \(Int(plan.thinkMilliseconds)) ms"
            + (plan.prestagedEdits > 0 ? ", \(plan.prestagedEdits) edits staged per device" : ""))
        add("load phase", String(format: "%.1f s", loadSeconds))
        add("accepted changes", "\(load.accepted) (\(String(format: "%.0f", acceptedPerSecond))/s), \(load.duplicates) duplicates")
        add("syncs", load.syncs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            + String(format: " (%.1f/s)", syncsPerSecond))
        add("edits made", "\(load.editsMade); refused on the device: \(describe(load.editsRefused))")
        lines.append("")
        lines.append("latency (ms)".padding(toLength: 34, withPad: " ", startingAt: 0) + "count       p50       p95       p99       max")
        let phases: [(String, Phase)] = [("", load), ("setup: ", setup), ("after load: ", quiescence)]
        for (prefix, phase) in phases {
            for (kind, summary) in phase.latency.sorted(by: { $0.key < $1.key }) {
                lines.append((prefix + kind).padding(toLength: 34, withPad: " ", startingAt: 0)
                    + String(format: "%5d %9.1f %9.1f %9.1f %9.1f", summary.count, summary.p50, summary.p95, summary.p99, summary.max))
            }
        }
        lines.append("")
        add("rejected changes", describe(load.rejected.merging(quiescence.rejected, uniquingKeysWith: +)))
        add("errors (HTTP, retried included)", describe(setup.errors.merging(load.errors, uniquingKeysWith: +).merging(quiescence.errors, uniquingKeysWith: +)))
        add("failed syncs", describe(setup.failedSyncs.merging(load.failedSyncs, uniquingKeysWith: +).merging(quiescence.failedSyncs, uniquingKeysWith: +)))
        add("CPU, load generator", cpu.share(cpu.generatorSeconds))
        if let server = cpu.serverSeconds { add("CPU, server(s)", cpu.share(server)) }
        if let machine = cpu.machineBusySeconds {
            add("CPU, whole machine", cpu.share(machine) + " — the rest is other processes")
        }
        if !serverPeakResidentMiB.isEmpty {
            add("server peak memory (VmHWM)", serverPeakResidentMiB.map { String(format: "%.0f MiB", $0) }.joined(separator: ", "))
        }
        add("worker peak memory (largest)", String(format: "%.0f MiB", workerPeakResidentMiB))
        add("convergence", devicesChecked > 0 ? "\(devicesChecked) devices checked against a fresh bootstrap of their user's scope" : "not checked")
        add("divergences", "\(divergences)")
        for detail in divergenceDetails { lines.append("  " + detail) }
        add("result", passed ? "PASS" : "FAIL")
        return lines.joined(separator: "\n")
    }

    private func describe(_ counts: [String: Int]) -> String {
        counts.isEmpty ? "0" : counts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
    }
}
