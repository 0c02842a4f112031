import Foundation

/// What each simulated device does, shared by the coordinator and its worker processes.
public struct LoadPlan: Codable, Sendable, Hashable {
    /// Simulated devices in all worker processes together.
    public var devices: Int
    /// Actions per device; nil runs for `durationSeconds` instead.
    public var rounds: Int?
    public var durationSeconds: Double
    /// Mean pause before each action (exponentially distributed, so devices do not march in
    /// step); 0 makes every device act back to back.
    public var thinkMilliseconds: Double
    public var mix: ActionMix
    /// Edits a push makes before it syncs, drawn uniformly from the range.
    public var editsPerPush: ClosedRange<Int>
    /// Edits each device makes during setup, before the clock starts: a push-heavy run measures
    /// the server taking them in, not the devices writing them.
    public var prestagedEdits: Int
    /// Changes per push request (`SyncClient.batchSize`).
    public var batchSize: Int
    /// Chance that a device moves to another server before an action (several servers only).
    public var switchProbability: Double
    /// Keeps device databases in memory instead of temporary files.
    public var inMemoryStores: Bool
    public var seed: UInt64

    public init(
        devices: Int = 200, rounds: Int? = nil, durationSeconds: Double = 60, thinkMilliseconds: Double = 1000,
        mix: ActionMix = .realistic, editsPerPush: ClosedRange<Int> = 1...10, prestagedEdits: Int = 0, batchSize: Int = 500,
        switchProbability: Double = 0.2, inMemoryStores: Bool = false, seed: UInt64 = 1
    ) {
        self.devices = devices
        self.rounds = rounds
        self.durationSeconds = durationSeconds
        self.thinkMilliseconds = thinkMilliseconds
        self.mix = mix
        self.editsPerPush = editsPerPush
        self.prestagedEdits = prestagedEdits
        self.batchSize = batchSize
        self.switchProbability = switchProbability
        self.inMemoryStores = inMemoryStores
        self.seed = seed
    }
}

/// Relative weights of the three things a device does.
public struct ActionMix: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Sync with nothing to send: a rep opening the app or the background refresh.
    public var pull: Int
    /// A few edits (visits logged, stages moved, fields corrected), then sync.
    public var push: Int
    /// The device is replaced by a fresh one that enrolls and bootstraps its whole scope.
    public var bootstrap: Int

    public init(pull: Int, push: Int, bootstrap: Int) {
        self.pull = pull
        self.push = push
        self.bootstrap = bootstrap
    }

    /// Mostly pulls, a quarter pushes, now and then a new phone.
    public static let realistic = ActionMix(pull: 70, push: 27, bootstrap: 3)

    /// Parses `pull:70,push:27,bootstrap:3`; a kind left out weighs 0.
    public init?(parsing text: String) {
        var weights: [String: Int] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, ["pull", "push", "bootstrap"].contains(pair[0]), let weight = Int(pair[1]), weight >= 0 else { return nil }
            weights[pair[0]] = weight
        }
        self.init(pull: weights["pull"] ?? 0, push: weights["push"] ?? 0, bootstrap: weights["bootstrap"] ?? 0)
        guard pull + push + bootstrap > 0 else { return nil }
    }

    public var description: String { "pull:\(pull),push:\(push),bootstrap:\(bootstrap)" }

    func pick(_ roll: Int) -> DeviceAction {
        let point = roll % (pull + push + bootstrap)
        if point < pull { return .pull }
        if point < pull + push { return .push }
        return .bootstrap
    }
}

enum DeviceAction: String {
    case pull, push, bootstrap
}

/// The part of the load one worker process runs.
public struct WorkerAssignment: Codable, Sendable {
    public var worker: Int
    public var plan: LoadPlan
    public var servers: [URL]
    /// Token of an admin device: workers issue enrollment codes for their devices with it.
    public var adminToken: String
    /// The user each of this worker's devices belongs to, by global device number.
    public var devices: [DeviceSlot]
    /// Where device databases go (removed by the coordinator afterwards).
    public var directory: String
}

public struct DeviceSlot: Codable, Sendable, Hashable {
    public var number: Int
    public var user: String
}
