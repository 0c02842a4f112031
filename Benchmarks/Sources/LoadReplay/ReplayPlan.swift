import Foundation
import LoadGeneration

/// The three requests a device sends, as the replayer tells them apart.
public enum RequestKind: String, Codable, Sendable, CaseIterable {
    /// A sync with nothing to send: its cursor, the next page of the log.
    case pull
    /// A sync carrying a few new changes (and, as every sync does, the next page of the log).
    case push
    /// The first page of a fresh device's snapshot bootstrap (no cursor).
    case bootstrap
}

/// What one series of rate steps sends.
public struct ReplayWorkload: Codable, Sendable, Hashable {
    /// `ingest` (pushes only) or `mixed`.
    public var name: String
    /// Relative weights of pull, push and bootstrap requests.
    public var mix: ActionMix

    public init(name: String, mix: ActionMix) {
        self.name = name
        self.mix = mix
    }

    /// Pushes only: how many changes per second the server takes in.
    public static let ingest = ReplayWorkload(name: "ingest", mix: ActionMix(pull: 0, push: 1, bootstrap: 0))
    /// A day of field work: mostly pulls, a quarter pushes, now and then a new phone.
    public static let mixed = ReplayWorkload(name: "mixed", mix: .realistic)

    func pick(_ roll: Int) -> RequestKind {
        let point = roll % (mix.pull + mix.push + mix.bootstrap)
        if point < mix.pull { return .pull }
        if point < mix.pull + mix.push { return .push }
        return .bootstrap
    }
}

/// How the replayer steps the arrival rate up.
public struct ReplayPlan: Codable, Sendable, Hashable {
    /// Enrolled devices the requests come from (each sends one request at a time, as a device does).
    public var devices: Int
    /// Changes in one push, drawn uniformly.
    public var changesPerPush: ClosedRange<Int>
    /// Requests per second of the first step.
    public var startRate: Double
    /// Each next step's rate is the last one times this.
    public var factor: Double
    /// Steps at most per series; a series also ends at its first step that misses the limit.
    public var maxSteps: Int
    /// Seconds of arrivals per step (the step then waits for every answer).
    public var stepSeconds: Double
    /// A step is sustained when every kind's p99 (from the scheduled time) is below this and no
    /// request failed.
    public var p99LimitMilliseconds: Double
    /// The page size a device asks for (`SyncClient.pageLimit`).
    public var pageLimit: Int
    public var seed: UInt64

    public init(
        devices: Int = 50, changesPerPush: ClosedRange<Int> = 1...9, startRate: Double = 25, factor: Double = 2,
        maxSteps: Int = 8, stepSeconds: Double = 5, p99LimitMilliseconds: Double = 250, pageLimit: Int = 1000, seed: UInt64 = 1
    ) {
        self.devices = devices
        self.changesPerPush = changesPerPush
        self.startRate = startRate
        self.factor = factor
        self.maxSteps = maxSteps
        self.stepSeconds = stepSeconds
        self.p99LimitMilliseconds = p99LimitMilliseconds
        self.pageLimit = pageLimit
        self.seed = seed
    }

    /// The rate of step `index` (0-based).
    public func rate(step index: Int) -> Double {
        startRate * pow(factor, Double(index))
    }
}
