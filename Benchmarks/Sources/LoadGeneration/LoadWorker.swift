import Crypto
import Foundation
import SyncClient
import SyncCore

/// A worker process: runs its share of the devices, phase by phase, as the coordinator says.
///
/// Devices are split over processes because one process cannot drive many: each device's
/// GRDB writes, JSON and gzip run on the same two cores as the server, and 50 devices in one
/// process once measured a p99 of 142 s that was the client's queueing, not the server's.
public enum LoadWorker {
    /// Reads the assignment and then commands on stdin, answers on stdout, until stdin closes.
    /// Returns the exit status: a failure is reported to the coordinator, which says what
    /// went wrong, so the worker itself just exits 1.
    public static func run() async -> Int32 {
        let channel = LineChannel(reading: .standardInput, writing: .standardOutput)
        do {
            guard let assignment = try await channel.receive(WorkerAssignment.self) else { return 0 }
            do {
                try await run(assignment, channel: channel)
                return 0
            } catch {
                try? channel.send(WorkerEvent(event: .failed, message: "worker \(assignment.worker): \(error)"))
                return 1
            }
        } catch {
            FileHandle.standardError.write(Data("fieldsync load worker: \(error)\n".utf8))
            return 1
        }
    }

    private static func run(_ assignment: WorkerAssignment, channel: LineChannel) async throws {
        let recorder = StatsRecorder()
        let admin = AdminClient(transport: URLSessionTransport(baseURL: assignment.servers[0]), token: assignment.adminToken)
        var cpu = ProcessUsage.selfCPUSeconds()
        func phaseStats() -> LoadStats {
            var stats = recorder.take()
            let now = ProcessUsage.selfCPUSeconds()
            stats.cpuSeconds = now - cpu
            stats.peakResidentMiB = ProcessUsage.peakResidentMiB()
            cpu = now
            return stats
        }

        let devices = try await startDevices(assignment, admin: admin, recorder: recorder)
        try channel.send(WorkerEvent(event: .ready, stats: phaseStats()))

        while let command = try await channel.receive(WorkerCommand.self) {
            switch command.command {
            case .start:
                let deadline = ContinuousClock.now + .milliseconds(Int(assignment.plan.durationSeconds * 1000))
                await forEach(devices) { await $0.runLoad(until: deadline) }
                try channel.send(WorkerEvent(event: .loaded, stats: phaseStats()))
            case .flush:
                await forEach(devices) { await $0.flush() }
                try channel.send(WorkerEvent(event: .flushed, stats: phaseStats()))
            case .verify:
                let checks = try await verify(devices, references: command.references ?? [:])
                try channel.send(WorkerEvent(event: .verified, stats: phaseStats(), checks: checks))
            }
        }
    }

    /// Enrolls and bootstraps the devices, a few at a time so setup does not swamp the server.
    private static func startDevices(_ assignment: WorkerAssignment, admin: AdminClient, recorder: StatsRecorder) async throws -> [SimulatedDevice] {
        let gate = EnrollmentGate()
        return try await withThrowingTaskGroup(of: SimulatedDevice.self) { group in
            var pending = assignment.devices[...]
            var devices: [SimulatedDevice] = []
            for _ in 0..<min(8, pending.count) {
                guard let slot = pending.popFirst() else { break }
                group.addTask { try await SimulatedDevice.start(slot: slot, assignment: assignment, admin: admin, gate: gate, recorder: recorder) }
            }
            while let device = try await group.next() {
                devices.append(device)
                if let slot = pending.popFirst() {
                    group.addTask { try await SimulatedDevice.start(slot: slot, assignment: assignment, admin: admin, gate: gate, recorder: recorder) }
                }
            }
            return devices.sorted { $0.slot.number < $1.slot.number }
        }
    }

    private static func forEach(_ devices: [SimulatedDevice], _ body: @escaping @Sendable (SimulatedDevice) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for device in devices {
                group.addTask { await body(device) }
            }
        }
    }

    /// Pulls once more on every device and compares its canonical dump with its user's reference.
    private static func verify(_ devices: [SimulatedDevice], references: [String: ScopeReference]) async throws -> [DeviceCheck] {
        var referenceStates: [String: [RecordState]] = [:]
        var checks: [DeviceCheck] = []
        for device in devices {
            _ = try? await device.sync(as: "verify")
            let dump = try device.store.canonicalDump()
            let status = try device.store.status()
            let digest = Self.digest(dump)
            var check = DeviceCheck(
                device: device.slot.number, user: device.slot.user, records: 0, digest: digest, matches: false,
                pendingChanges: status.pendingChanges, rejectedChanges: status.rejectedChanges, differences: []
            )
            let states = try JSONDecoder().decode([RecordState].self, from: dump)
            check.records = states.count
            guard let reference = references[device.slot.user] else {
                check.differences = ["no reference for user \(device.slot.user)"]
                checks.append(check)
                continue
            }
            check.matches = digest == reference.digest
            if !check.matches {
                if referenceStates[device.slot.user] == nil {
                    referenceStates[device.slot.user] = try JSONDecoder().decode(
                        [RecordState].self, from: Data(contentsOf: URL(fileURLWithPath: reference.path))
                    )
                }
                check.differences = differences(states, referenceStates[device.slot.user] ?? [], limit: 5)
            }
            checks.append(check)
        }
        return checks
    }

    static func digest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// The first records where a device differs from the reference.
    static func differences(_ device: [RecordState], _ reference: [RecordState], limit: Int) -> [String] {
        let mine = Dictionary(device.map { ("\($0.entity)/\($0.id)", $0) }, uniquingKeysWith: { first, _ in first })
        let theirs = Dictionary(reference.map { ("\($0.entity)/\($0.id)", $0) }, uniquingKeysWith: { first, _ in first })
        var found: [String] = []
        for key in Set(mine.keys).union(theirs.keys).sorted() where found.count < limit {
            switch (mine[key], theirs[key]) {
            case (nil, _): found.append("\(key) missing on the device")
            case (_, nil): found.append("\(key) on the device but not in the server's scope")
            case (let a?, let b?) where a != b: found.append("\(key): device version \(a.version), server \(b.version)")
            default: continue
            }
        }
        if found.isEmpty { found.append("same records, different bytes") }
        return found
    }
}
