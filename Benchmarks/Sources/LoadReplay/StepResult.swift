import Foundation
import Histogram

/// Latencies and outcomes of one kind of request in one step.
public struct KindResult: Codable, Sendable {
    public var sent = 0
    /// Answered with a 2xx status.
    public var succeeded = 0
    /// Percentiles in milliseconds, measured from the time the request was scheduled (so a
    /// request that waited behind a slow one counts its wait: no coordinated omission).
    public var p50Milliseconds = 0.0
    public var p99Milliseconds = 0.0
    public var maxMilliseconds = 0.0
    /// p99 of the time from sending to the answer (what a closed-loop tool would report).
    public var serviceP99Milliseconds = 0.0
}

/// What one step at one arrival rate measured.
public struct StepResult: Codable, Sendable {
    public var offeredRate: Double
    /// Requests answered per second: every answer over the time from the first scheduled
    /// request to the last answer.
    public var answeredRate: Double
    public var seconds: Double
    public var kinds: [String: KindResult]
    public var changesSent = 0
    public var accepted = 0
    public var duplicates = 0
    public var acceptedPerSecond: Double
    /// Non-2xx answers and transport failures, by `HTTP status code` or `network …`.
    public var failures: [String: Int]
    /// Pushed changes the server refused, by reason code.
    public var rejected: [String: Int]
    public var logEntriesPulled = 0
    public var snapshotRecords = 0
    /// CPU seconds of the server processes (utime + stime from /proc/PID/stat) during the step.
    public var serverCPUSeconds: Double
    /// CPU seconds of the replayer itself (getrusage) during the step.
    public var replayerCPUSeconds: Double
    /// Busy CPU seconds of the whole machine (all processes) during the step.
    public var machineBusySeconds: Double?
    public var sustained: Bool

    public var serverMicrosecondsPerAcceptedChange: Double? {
        accepted > 0 ? serverCPUSeconds / Double(accepted) * 1e6 : nil
    }

    public var serverMicrosecondsPerRequest: Double? {
        let answered = kinds.values.map(\.succeeded).reduce(0, +)
        return answered > 0 ? serverCPUSeconds / Double(answered) * 1e6 : nil
    }

    /// The replayer's CPU as a share of one core over the step.
    public var replayerCoreShare: Double { seconds > 0 ? replayerCPUSeconds / seconds : 0 }
    public var serverCoreShare: Double { seconds > 0 ? serverCPUSeconds / seconds : 0 }
}

/// Everything a lane (one device's requests) records, merged into one step tally.
struct StepTally: Sendable {
    var latency: [RequestKind: Histogram<UInt64>] = [:]
    var service: [RequestKind: Histogram<UInt64>] = [:]
    var sent: [RequestKind: Int] = [:]
    var succeeded: [RequestKind: Int] = [:]
    var changesSent = 0
    var accepted = 0
    var duplicates = 0
    var failures: [String: Int] = [:]
    var rejected: [String: Int] = [:]
    var logEntriesPulled = 0
    var snapshotRecords = 0
    var lastAnswer: ContinuousClock.Instant?

    static func histogram() -> Histogram<UInt64> {
        // Microseconds, 1 µs to 10 minutes, 3 significant digits.
        Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    }

    mutating func record(_ kind: RequestKind, latency: Duration, service: Duration) {
        _ = self.latency[kind, default: Self.histogram()].record(Self.microseconds(latency))
        _ = self.service[kind, default: Self.histogram()].record(Self.microseconds(service))
    }

    static func microseconds(_ duration: Duration) -> UInt64 {
        let parts = duration.components
        let micros = parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
        return UInt64(min(max(micros, 1), 600_000_000))
    }

    func kindResults() -> [String: KindResult] {
        var results: [String: KindResult] = [:]
        for kind in RequestKind.allCases where (sent[kind] ?? 0) > 0 {
            var result = KindResult(sent: sent[kind] ?? 0, succeeded: succeeded[kind] ?? 0)
            if let histogram = latency[kind], histogram.totalCount > 0 {
                result.p50Milliseconds = Double(histogram.valueAtPercentile(50)) / 1000
                result.p99Milliseconds = Double(histogram.valueAtPercentile(99)) / 1000
                result.maxMilliseconds = Double(histogram.max) / 1000
            }
            if let histogram = service[kind], histogram.totalCount > 0 {
                result.serviceP99Milliseconds = Double(histogram.valueAtPercentile(99)) / 1000
            }
            results[kind.rawValue] = result
        }
        return results
    }
}
