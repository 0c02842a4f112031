import Foundation
import SyncCore

/// One benchmark row: a measured operation against a baseline measured in the same run.
struct BenchmarkRow: Codable {
    var name: String
    var baseline: String
    /// Median seconds per operation of the measured code and of the baseline.
    var medianSeconds: Double
    var baselineMedianSeconds: Double?
    /// measured / baseline (lower is better); nil when there is no baseline.
    var ratio: Double?
    /// Median CPU seconds per operation of the measuring thread (user + system), and of the
    /// baseline. The machine is shared: when other processes take the cores, wall time grows
    /// but CPU time much less, so the CPU ratio is the steadier comparison.
    /// Nil for measurements that span threads and processes (sync over loopback).
    var cpuMedianSeconds: Double?
    var baselineCPUMedianSeconds: Double?
    var cpuRatio: Double?
    /// Operations per second of the measured code.
    var operationsPerSecond: Double
    var target: String
    var runs: Int
    var operationsPerRun: Int
}

/// Seconds per operation of each run, by the wall clock and by the thread's CPU clock.
struct Samples {
    var wall: [Double] = []
    var cpu: [Double] = []
}

/// Runs `body` `runs` times and returns each run's seconds per operation.
func measure(runs: Int, operations: Int, _ body: (Int) throws -> Void) rethrows -> Samples {
    var samples = Samples()
    for run in 0..<runs {
        try measureOnce(into: &samples, operations: operations) { try body(run) }
    }
    return samples
}

/// Runs `body` once and appends its seconds per operation to `samples`.
func measureOnce(into samples: inout Samples, operations: Int, _ body: () throws -> Void) rethrows {
    let clock = ContinuousClock()
    let cpuStart = threadCPUSeconds()
    let elapsed = try clock.measure(body)
    samples.cpu.append((threadCPUSeconds() - cpuStart) / Double(operations))
    samples.wall.append(elapsed.seconds / Double(operations))
}

/// CPU time the calling thread has used, user and system.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
}


/// Formats seconds per operation for a table.
func formatDuration(_ seconds: Double) -> String {
    switch seconds {
    case ..<1e-6: return String(format: "%.0f ns", seconds * 1e9)
    case ..<1e-3: return String(format: "%.1f µs", seconds * 1e6)
    case ..<1: return String(format: "%.2f ms", seconds * 1e3)
    default: return String(format: "%.2f s", seconds)
    }
}

func formatRate(_ perSecond: Double) -> String {
    switch perSecond {
    case 1e6...: return String(format: "%.2f M/s", perSecond / 1e6)
    case 1e3...: return String(format: "%.1f k/s", perSecond / 1e3)
    default: return String(format: "%.1f /s", perSecond)
    }
}
