import Foundation
import LoadGeneration

/// One workload's steps on one setup.
public struct SeriesResult: Codable, Sendable {
    public var workload: ReplayWorkload
    public var steps: [StepResult]
    public var p99LimitMilliseconds: Double

    /// The last step before the first that missed the limit (steps stop there).
    public var sustained: StepResult? {
        steps.last(where: \.sustained)
    }

    /// Per kind: its own request rate at the highest step where its p99 stayed under the limit.
    public var sustainedRateByKind: [String: Double] {
        var rates: [String: Double] = [:]
        for step in steps {
            for (name, kind) in step.kinds where kind.p99Milliseconds < p99LimitMilliseconds && kind.sent > 0 {
                rates[name] = max(rates[name] ?? 0, Double(kind.sent) / step.seconds)
            }
        }
        return rates
    }
}

/// All series of one setup.
public struct SetupResult: Codable, Sendable {
    public var setup: ReplaySetup
    public var series: [SeriesResult]
    public var serverPeakResidentMiB: [Double]
    /// Entries the server log gained over the whole run (counted in an admin device's pulls
    /// from the head before it): equals the accepted changes the steps counted.
    public var logGrowth: Int

    /// Accepted changes over every step of every series.
    public var accepted: Int {
        series.flatMap(\.steps).map(\.accepted).reduce(0, +)
    }

    public func series(_ name: String) -> SeriesResult? {
        series.first { $0.workload.name == name }
    }
}

/// The issue-14 targets the replayer's figures are compared with.
public enum ReplayTargets {
    public static let ingestChangesPerSecond = 20_000.0
    public static let p99Milliseconds = 250.0
    public static let sqliteMicrosecondsPerChange = 40.0
    public static let postgresMicrosecondsPerChange = 80.0
}

/// The whole run: what `fieldsync-replay` prints and records.
public struct ReplayReport: Codable, Sendable {
    public var date: Date
    public var command: String
    public var build: String
    public var plan: ReplayPlan
    public var results: [SetupResult]

    public init(date: Date, command: String, build: String, plan: ReplayPlan, results: [SetupResult]) {
        self.date = date
        self.command = command
        self.build = build
        self.plan = plan
        self.results = results
    }

    /// Every step, then the sustained rates against the targets.
    public func table() -> String {
        var lines = ["| setup | workload | offered req/s | answered req/s | accepted changes/s | p99 ms (pull / push / bootstrap) | server µs/change | server µs/request | server cores | replayer cores | sustained |",
                     "| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"]
        for result in results {
            for series in result.series {
                for step in series.steps {
                    let p99s: [String] = RequestKind.allCases.map { step.kinds[$0.rawValue].map { Self.format($0.p99Milliseconds, "%.0f") } ?? "–" }
                let p99 = p99s.joined(separator: " / ")
                    lines.append("| \(result.setup) | \(series.workload.name) | \(Self.format(step.offeredRate, "%.0f")) | \(Self.format(step.answeredRate, "%.0f")) | \(Self.format(step.acceptedPerSecond, "%.0f")) | \(p99) | \(step.serverMicrosecondsPerAcceptedChange.map { Self.format($0, "%.0f") } ?? "–") | \(step.serverMicrosecondsPerRequest.map { Self.format($0, "%.0f") } ?? "–") | \(Self.format(step.serverCoreShare, "%.2f")) | \(Self.format(step.replayerCoreShare, "%.2f")) | \(step.sustained ? "yes" : "no" + (step.failures.isEmpty ? "" : " (\(step.failures.values.reduce(0, +)) failed)")) |")
                }
            }
        }
        lines.append("")
        lines.append("| setup | workload | highest sustained rate (p99 < \(Self.format(ReplayTargets.p99Milliseconds, "%.0f")) ms) | per kind, req/s | changes/s vs ≥ 20,000 | server µs/change vs target | replayer cores |")
        lines.append("| --- | --- | ---: | --- | --- | --- | ---: |")
        for result in results {
            for series in result.series {
                let best = series.sustained
                let perKindParts: [String] = series.sustainedRateByKind.sorted { $0.key < $1.key }.map { "\($0.key) \(Self.format($0.value, "%.0f"))" }
                let perKind = perKindParts.joined(separator: ", ")
                let target = result.setup.backend == .sqlite ? ReplayTargets.sqliteMicrosecondsPerChange : ReplayTargets.postgresMicrosecondsPerChange
                let changes = best.map { "\(Self.format($0.acceptedPerSecond, "%.0f")) (\(Self.format($0.acceptedPerSecond / ReplayTargets.ingestChangesPerSecond, "%.3f"))×)" } ?? "none sustained"
                let cpu = best?.serverMicrosecondsPerAcceptedChange.map { "\(Self.format($0, "%.0f")) µs vs ≤ \(Self.format(target, "%.0f")) (\(Self.format($0 / target, "%.1f"))×)" } ?? "–"
                lines.append("| \(result.setup) | \(series.workload.name) | \(best.map { Self.format($0.answeredRate, "%.0f") + " req/s" } ?? "below \(Self.format(series.steps.first?.offeredRate ?? 0, "%.0f")) req/s") | \(perKind) | \(changes) | \(cpu) | \(best.map { Self.format($0.replayerCoreShare, "%.2f") } ?? "–") |")
            }
        }
        for result in results {
            lines.append("\(result.setup): \(result.accepted) changes accepted by the replayer's count, the server log grew by \(result.logGrowth)")
        }
        // PostgreSQL: 2 servers should take in at least what 1 does.
        for devices in Set(results.map(\.setup.devices)).sorted() {
            for workload in ["ingest", "mixed"] {
                func rate(_ servers: Int) -> Double? {
                    results.first { $0.setup.backend == .postgres && $0.setup.servers == servers && $0.setup.devices == devices }?
                        .series(workload)?.sustained?.acceptedPerSecond
                }
                if let one = rate(1), let two = rate(2), one > 0 {
                    lines.append("PostgreSQL \(devices) devices, \(workload): 2 servers / 1 server sustained changes/s = \(Self.format(two / one, "%.2f")) (target ≥ 1)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double, _ format: String) -> String {
        String(format: format, value)
    }

    /// Writes the report under the key `replay` of a results file, keeping every other key
    /// (the bench's rows and figures).
    public func merge(into path: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try ResultsFile.merge(["replay": self], into: path, encoder: encoder)
    }
}
