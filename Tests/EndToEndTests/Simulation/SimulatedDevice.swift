import CRM
import Foundation
import SyncClient
import SyncCore
import SyncServer
import SyncStore

/// One simulated field device: a `DeviceStore` on a temporary file, a token, a clock skew and
/// its connectivity. A crash drops the store instance (whatever it was doing stops there) and
/// the next use opens the file again.
final class SimulatedDevice {
    let index: Int
    let name: String
    let path: String
    let replica: ReplicaID
    /// How far this device's clock is off the true time, in milliseconds (a person may change
    /// it at any time).
    var skew: Int64 {
        get { skewBox.value }
        set { skewBox.withLock { $0 = newValue } }
    }
    private let skewBox: Locked<Int64>
    let clock: SimulationClock
    var token = ""
    /// The first step at which the device exists (late devices bootstrap from a snapshot).
    var joinsAt: Int
    /// The device does not try to reach the server before this step.
    var offlineUntil = 0
    /// A device in a partition tries, but its requests never arrive.
    var partitioned = false
    private(set) var store: DeviceStore?
    private(set) var crashes = 0

    init(index: Int, path: String, replica: ReplicaID, skew: Int64, joinsAt: Int, clock: SimulationClock) {
        self.index = index
        self.name = String(format: "device%02d", index)
        self.path = path
        self.replica = replica
        self.skewBox = Locked(skew)
        self.joinsAt = joinsAt
        self.clock = clock
    }

    /// The device's own clock.
    var now: Int64 { clock.now + skew }

    /// The open store, opening the file if the device crashed or was never opened.
    func open() throws -> DeviceStore {
        if let store { return store }
        let clock = self.clock
        if !FileManager.default.fileExists(atPath: path) {
            // Fix the replica id so that a seed replays with the same ids (ties between
            // concurrent writes break on it): create the file, store the id, reopen.
            let fresh = try DeviceStore(path: path, schema: CRMSchema.schema)
            try fresh.setSettings(["replica": replica.rawValue])
        }
        let opened = try DeviceStore(path: path, schema: CRMSchema.schema, physicalClock: { [skewBox] in clock.now + skewBox.value })
        guard opened.replicaID == replica else {
            throw SimulationError("\(name) reopened as replica \(opened.replicaID), not \(replica)")
        }
        store = opened
        return opened
    }

    /// Drops the store instance as a killed app would; committed transactions survive.
    func crash() {
        store = nil
        crashes += 1
    }
}

/// A failure of the simulation itself (not a property violation).
struct SimulationError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
