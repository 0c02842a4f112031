import Foundation
import Histogram
import Synchronization

/// Counters and latency histograms of one worker or, merged, of the whole run. Histograms
/// hold microseconds and travel between processes as JSON (HdrHistogram is Codable), so
/// percentiles of the whole run are exact merges, not averages of percentiles.
public struct LoadStats: Codable, Sendable {
    /// Sync round trips (one `SyncClient.sync()` call, all its requests) by action, and
    /// single HTTP requests under `request`.
    public var latency: [String: Histogram<UInt64>] = [:]
    /// Completed syncs by action.
    public var syncs: [String: Int] = [:]
    public var accepted = 0
    public var duplicates = 0
    public var pulled = 0
    public var snapshotRecords = 0
    /// Rejected changes by the server's code.
    public var rejected: [String: Int] = [:]
    /// Failed HTTP exchanges by `HTTP status code` or transport failure, retried ones included.
    public var errors: [String: Int] = [:]
    /// Syncs that failed after the client's retries, by error code.
    public var failedSyncs: [String: Int] = [:]
    public var editsMade = 0
    /// Edits the device's own CRM rules refused (e.g. a stage move another device made first).
    public var editsRefused: [String: Int] = [:]
    public var enrollments = 0
    /// CPU seconds (user + system) of the worker processes during the phase.
    public var cpuSeconds = 0.0
    /// Largest peak resident memory of a worker process, MiB.
    public var peakResidentMiB = 0.0

    public init() {}

    static func histogram() -> Histogram<UInt64> {
        // 1 µs to 10 minutes at 3 significant digits.
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }

    mutating func record(_ kind: String, seconds: Double) {
        let micros = UInt64(max(1, min(600_000_000, (seconds * 1e6).rounded())))
        _ = latency[kind, default: Self.histogram()].record(micros)
    }

    public mutating func merge(_ other: LoadStats) {
        for (kind, histogram) in other.latency {
            latency[kind, default: Self.histogram()].add(histogram)
        }
        syncs.merge(other.syncs, uniquingKeysWith: +)
        accepted += other.accepted
        duplicates += other.duplicates
        pulled += other.pulled
        snapshotRecords += other.snapshotRecords
        rejected.merge(other.rejected, uniquingKeysWith: +)
        errors.merge(other.errors, uniquingKeysWith: +)
        failedSyncs.merge(other.failedSyncs, uniquingKeysWith: +)
        editsMade += other.editsMade
        editsRefused.merge(other.editsRefused, uniquingKeysWith: +)
        enrollments += other.enrollments
        cpuSeconds += other.cpuSeconds
        peakResidentMiB = max(peakResidentMiB, other.peakResidentMiB)
    }

    /// p50/p95/p99/max in milliseconds of one latency kind, nil when nothing was recorded.
    public func percentiles(_ kind: String) -> LatencySummary? {
        guard let histogram = latency[kind], histogram.totalCount > 0 else { return nil }
        func ms(_ micros: UInt64) -> Double { Double(micros) / 1000 }
        return LatencySummary(
            count: Int(histogram.totalCount), p50: ms(histogram.valueAtPercentile(50)), p95: ms(histogram.valueAtPercentile(95)),
            p99: ms(histogram.valueAtPercentile(99)), max: ms(histogram.max)
        )
    }
}

public struct LatencySummary: Codable, Sendable, Hashable {
    public var count: Int
    public var p50: Double
    public var p95: Double
    public var p99: Double
    public var max: Double
}

/// Stats shared by the concurrent device tasks of one worker.
final class StatsRecorder: Sendable {
    private let stats = Mutex(LoadStats())

    func update(_ body: (inout LoadStats) -> Void) {
        stats.withLock { body(&$0) }
    }

    /// The stats so far, and a fresh start for the next phase.
    func take() -> LoadStats {
        stats.withLock { stats in
            defer { stats = LoadStats() }
            return stats
        }
    }
}
